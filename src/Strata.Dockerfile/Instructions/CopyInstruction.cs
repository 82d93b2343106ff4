using System.Text.Json.Serialization;

namespace Strata.Dockerfile.Instructions;

/// <summary>
/// <c>COPY [--from=S] [--chown=U:G] [--chmod=M] [--link] [--parents] [--exclude=P]... src... dest</c>.
/// Heredoc sources (<c>COPY &lt;&lt;EOF /dst</c>) are in <see cref="Contents"/>, file sources in
/// <see cref="Sources"/>.
/// </summary>
public sealed record CopyInstruction(
    IReadOnlyList<string> Sources,
    IReadOnlyList<HeredocSource> Contents,
    string Destination,
    string? From,
    string? Chown,
    string? Chmod,
    bool Link,
    bool Parents,
    IReadOnlyList<string> Excludes) : Instruction
{
    [JsonIgnore]
    public override string Keyword => "COPY";
}
