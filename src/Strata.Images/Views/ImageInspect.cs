using System.Text.Json.Serialization;
using Strata.Oci;

namespace Strata.Images.Views;

/// <summary><c>inspect</c> output with docker's field names (API 1.44 shape).</summary>
public sealed record ImageInspect
{
    public required string Id { get; init; }

    public required IReadOnlyList<string> RepoTags { get; init; }

    public required IReadOnlyList<string> RepoDigests { get; init; }

    public string Parent { get; init; } = "";

    public string Comment { get; init; } = "";

    /// <summary>RFC 3339 with nanoseconds, as docker prints it; empty when the config has none.</summary>
    public string Created { get; init; } = "";

    public string DockerVersion { get; init; } = "";

    public string Author { get; init; } = "";

    public ContainerConfig? Config { get; init; }

    public required string Architecture { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Variant { get; init; }

    public required string Os { get; init; }

    public required long Size { get; init; }

    public required InspectGraphDriver GraphDriver { get; init; }

    public required InspectRootFs RootFS { get; init; }

    public required InspectMetadata Metadata { get; init; }

    /// <summary>Not in docker's output: the manifest digest Strata stores the image under.</summary>
    public required string ManifestDigest { get; init; }
}

public sealed record InspectRootFs(string Type, IReadOnlyList<string> Layers);

public sealed record InspectMetadata(string LastTagTime);

public sealed record InspectGraphDriver(IReadOnlyDictionary<string, string> Data, string Name);
