using System.Text.Json.Serialization;

namespace Strata.Oci;

/// <summary>The <c>oci-layout</c> file at the root of an OCI image layout.</summary>
public sealed record OciLayoutHeader
{
    public const string CurrentVersion = "1.0.0";

    public OciLayoutHeader(string imageLayoutVersion)
    {
        ImageLayoutVersion = imageLayoutVersion;
    }

    [JsonPropertyName("imageLayoutVersion")]
    public string ImageLayoutVersion { get; init; }
}
