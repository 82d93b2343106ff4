using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Strata.Analysis.Image;

namespace Strata.Analysis.Tests.EndToEnd;

/// <summary>
/// <c>strata analyze docker://HOST/REPO:TAG</c> against a real registry: layers stream from it,
/// the store is byte for byte the same afterwards, and the analysis is the store's.
/// </summary>
public sealed partial class AnalyzeRegistryTests(ChapterStore store, RegistryServer registry) : IClassFixture<ChapterStore>, IClassFixture<RegistryServer>
{
    private const string Bad = "FROM bb:1\nRUN mkdir -p /var/lib/apt/lists && head -c 300000 /dev/zero > /var/lib/apt/lists/deb_dists_Packages\nRUN rm -rf /var/lib/apt/lists/*\nRUN echo v1 > /app.txt && echo v2 > /app.txt\n";

    [Fact]
    public async Task A_registry_reference_analyzes_like_the_image_in_the_store_and_writes_nothing_to_the_store()
    {
        var local = await store.BuildAndAnalyzeAsync("reg:1", Bad);
        var remoteName = $"{registry.Host}/analyze/reg:1";
        (await new StrataCli(store.Root).RunAsync("tag", "reg:1", remoteName)).EnsureSuccess();
        var pushed = (await new StrataCli(store.Root).RunAsync("push", remoteName)).EnsureSuccess().Stdout;
        var manifestDigest = PushedDigest().Match(pushed).Groups[1].Value;

        var before = Snapshot(store.Root);
        var json = (await new StrataCli(store.Root).RunAsync("analyze", "--json", "docker://" + remoteName)).EnsureSuccess().Stdout;
        Assert.Equal(before, Snapshot(store.Root));
        var remote = JsonSerializer.Deserialize(json, AnalysisJsonContext.Default.ImageAnalysis)!;

        // The registry holds the pushed (compressed) blobs: its manifest and layer digests and blob
        // sizes are its own; everything the analysis derives from the layers' content is the same.
        Assert.Equal(("docker://" + remoteName, manifestDigest), (remote.Image, remote.ManifestDigest));
        Assert.Equal(Normalized(local), Normalized(remote));
        Assert.Equal(local.Layers.Select(l => l.DiffId), remote.Layers.Select(l => l.DiffId));
        Assert.Equal(("annotation", 300_000L), (remote.BaseLayersFrom, remote.Findings.Single(f => f.Rule == "deleted-files").Bytes));
        Assert.Equal("Dockerfile:3", remote.Findings.Single(f => f.Rule == "deleted-files").BySource);

        // The same image pulled into another store analyzes exactly as the registry reference did.
        var other = Path.Combine(store.Work, "other-store");
        (await new StrataCli(other).RunAsync("pull", "-q", remoteName)).EnsureSuccess();
        var pulled = (await new StrataCli(other).RunAsync("analyze", "--json", remoteName)).EnsureSuccess().Stdout;
        Assert.Equal(json.Replace("\"image\": \"docker://", "\"image\": \"", StringComparison.Ordinal), pulled);
    }

    [Fact]
    public async Task A_missing_registry_reference_is_a_one_line_error_and_touches_nothing()
    {
        await store.BuildAndAnalyzeAsync("reg-missing:1", "FROM bb:1\nRUN echo x > /x\n");
        var before = Snapshot(store.Root);
        var reference = $"docker://{registry.Host}/analyze/nope:1";
        var r = await new StrataCli(store.Root).RunAsync("analyze", reference);
        StrataExit.AssertFailed(r.ExitCode, r.ToString());
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.Contains($"{registry.Host}/analyze/nope:1", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(store.Root));
    }

    /// <summary>What differs only because the blobs were compressed for the registry, blanked.</summary>
    private static string Normalized(ImageAnalysis a) => JsonSerializer.Serialize(
        a with { Image = "", ManifestDigest = "", Layers = [.. a.Layers.Select(l => l with { Digest = "", BlobSize = 0 })] },
        AnalysisJsonContext.Default.ImageAnalysis);

    /// <summary>Every regular file under the store (path, size, sha256), and every other entry by name (directories, links, overlay whiteout devices).</summary>
    private static List<string> Snapshot(string root) =>
        [.. Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(path =>
        {
            var relative = Path.GetRelativePath(root, path);
            if (Directory.Exists(path) || new FileInfo(path).LinkTarget is not null) return relative;
            try
            {
                using var file = File.OpenRead(path);
                return $"{relative} {file.Length} {Convert.ToHexStringLower(SHA256.HashData(file))}";
            }
            catch (IOException)
            {
                // A character device (an overlay whiteout in an unpacked snapshot) cannot be read.
                return relative + " (special)";
            }
        })];

    [GeneratedRegex(@"digest: (sha256:[0-9a-f]{64})")]
    private static partial Regex PushedDigest();
}
