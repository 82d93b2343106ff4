using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Strata.Registry.Tests.Fixtures;

/// <summary>skopeo, the independent client: puts test images into the registry and reads back what strata pushed.</summary>
public static class Skopeo
{
    /// <summary><c>skopeo copy [--all] oci:LAYOUT:TAG docker://TARGET</c> over plain http.</summary>
    public static Task CopyToRegistryAsync(string layout, string tag, string target, bool all = false) =>
        Tool.OkAsync(Tool.Skopeo, ["copy", "--dest-tls-verify=false", .. (all ? new[] { "--all" } : []), $"oci:{layout}:{tag}", "docker://" + target]);

    /// <summary>The manifest (or index) the registry serves for <paramref name="reference"/>, raw, and its digest.</summary>
    public static async Task<(string Digest, JsonNode Document)> RawAsync(string reference)
    {
        var raw = await Tool.OkAsync(Tool.Skopeo, "inspect", "--tls-verify=false", "--raw", "docker://" + reference);
        return ("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw))), JsonNode.Parse(raw)!);
    }
}
