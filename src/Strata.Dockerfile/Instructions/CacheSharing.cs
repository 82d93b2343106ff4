using System.Text.Json.Serialization;

namespace Strata.Dockerfile.Instructions;

/// <summary>How concurrent builds share a cache mount (<c>sharing=</c>): shared by default.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CacheSharing>))]
public enum CacheSharing
{
    [JsonStringEnumMemberName("shared")]
    Shared,
    [JsonStringEnumMemberName("private")]
    Private,
    [JsonStringEnumMemberName("locked")]
    Locked,
}
