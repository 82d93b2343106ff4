using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace Strata.Core;

/// <summary>An OCI platform (<c>os/architecture[/variant]</c>), e.g. <c>linux/amd64</c>.</summary>
public sealed record Platform
{
    public Platform(string os, string architecture, string? variant = null)
    {
        Os = os;
        Architecture = architecture;
        Variant = string.IsNullOrEmpty(variant) ? null : variant;
    }

    [JsonPropertyName("architecture")]
    public string Architecture { get; init; }

    [JsonPropertyName("os")]
    public string Os { get; init; }

    [JsonPropertyName("os.version")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OsVersion { get; init; }

    [JsonPropertyName("os.features")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? OsFeatures { get; init; }

    [JsonPropertyName("variant")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Variant { get; init; }

    /// <summary>The platform this process runs on, in Go's GOARCH words as OCI uses them.</summary>
    public static Platform Host { get; } = new("linux", GoArchitecture(RuntimeInformation.OSArchitecture),
        RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "v8" : null);

    /// <summary>Parses <c>os/arch[/variant]</c>; a bare <c>arch</c> is not accepted.</summary>
    public static Platform Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(string.IsNullOrWhiteSpace))
            throw new InvalidArgumentException($"invalid platform \"{text}\": want os/arch[/variant]");
        // containerd's rule for each component: letters, digits, '_', '.' and '-' only.
        if (parts.FirstOrDefault(p => !p.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-')) is { } bad)
            throw new InvalidArgumentException($"invalid platform \"{text}\": \"{bad}\" is not an os, architecture or variant (letters, digits, '_', '.' and '-' only)");
        return new Platform(parts[0].ToLowerInvariant(), NormalizeArchitecture(parts[1].ToLowerInvariant()), parts.Length == 3 ? parts[2] : null);
    }

    private static string NormalizeArchitecture(string arch) => arch switch
    {
        "x86_64" or "x86-64" => "amd64",
        "aarch64" => "arm64",
        "i386" or "i686" => "386",
        _ => arch,
    };

    private static string GoArchitecture(Architecture arch) => arch switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        System.Runtime.InteropServices.Architecture.RiscV64 => "riscv64",
        _ => arch.ToString().ToLowerInvariant(),
    };

    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
