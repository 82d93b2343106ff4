using System.Text.Json.Serialization;

namespace Strata.Dockerfile.Instructions;

/// <summary>
/// <c>ADD [--chown] [--chmod] [--link] [--keep-git-dir] [--checksum=D] [--exclude=P]... src... dest</c>:
/// like COPY, plus URLs, git repositories and local archive extraction.
/// </summary>
public sealed record AddInstruction(
    IReadOnlyList<string> Sources,
    IReadOnlyList<HeredocSource> Contents,
    string Destination,
    string? Chown,
    string? Chmod,
    bool Link,
    bool KeepGitDir,
    string? Checksum,
    IReadOnlyList<string> Excludes) : Instruction
{
    [JsonIgnore]
    public override string Keyword => "ADD";
}
