using Strata.Analysis.Image;
using Strata.Images.Transfer;
using static Strata.Analysis.Tests.Image.CraftedImage;

namespace Strata.Analysis.Tests.Image;

public sealed class SecretTests : IDisposable
{
    // Built at run time so no scanner flags this source file.
    private static readonly string Key = "-----BEGIN " + "RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE KEY-----\n";
    private static readonly string AwsId = "AKIA" + "IOSFODNN7EXAMPLE";
    private static readonly string GitHub = "ghp_" + new string('a', 36);

    private readonly TempDir _tempDir = new("strata-analyze-");

    public void Dispose() => _tempDir.Dispose();

    private async Task<ImageAnalysis> AnalyzeAsync(CraftedImage image, IReadOnlyList<string>? env = null)
    {
        var root = Path.Combine(_tempDir.Path, "layout");
        var manifest = image.WriteLayout(root, env: env);
        await using var source = new OciLayoutSource(root, "layout", 1 << 20);
        return await ImageAnalyzer.AnalyzeAsync(source, manifest, "crafted", ImageAnalysisOptions.Default, CancellationToken.None);
    }

    [Fact]
    public async Task A_secret_key_added_then_deleted_is_found_in_its_layer_masked()
    {
        var image = new CraftedImage()
            .Layer("COPY id_rsa /root/.ssh/id_rsa", w => Text(w, "root/.ssh/id_rsa", Key))
            .Layer("RUN rm /root/.ssh/id_rsa", w => Whiteout(w, "root/.ssh/id_rsa"));
        var a = await AnalyzeAsync(image);

        var secrets = a.Findings.Where(f => f.Category == "secret").ToList();
        Assert.Equal(["secret-file-private-key", "secret-private-key"], secrets.Select(s => s.Rule).Order(StringComparer.Ordinal));
        Assert.All(secrets, s =>
        {
            Assert.Equal((0, 1, "/root/.ssh/id_rsa"), (s.Layer, s.ByLayer!.Value, s.Paths[0].Path));
            Assert.Equal("error", s.Severity);
            Assert.DoesNotContain("MIIEow", s.Match, StringComparison.Ordinal);
            Assert.Contains("--mount=type=secret", s.Fix, StringComparison.Ordinal);
        });
        Assert.Equal(Key.Length, Assert.Single(a.Findings, f => f.Rule == "deleted-files").Bytes);
        Assert.Equal("****************"[..8], secrets.Single(s => s.Rule == "secret-file-private-key").Match![^8..]);
    }

    [Fact]
    public async Task Tokens_in_files_history_and_env_are_found_by_content_and_never_printed()
    {
        var image = new CraftedImage()
            .Layer("COPY . /app", w => { Text(w, "app/.env", "X=1\n"); Text(w, "app/conf.txt", "key=" + AwsId + "\n"); Text(w, "root/.npmrc", "registry=x\n"); })
            .Layer("RUN |1 GITHUB_TOKEN=" + GitHub + " /bin/sh -c make", w => Text(w, "app/out", "ok"));
        var a = await AnalyzeAsync(image, env: ["API_TOKEN=hunter2-very-secret", "PATH=/bin"]);

        var rules = a.Findings.Where(f => f.Category == "secret").Select(f => (f.Rule, f.Layer)).ToList();
        Assert.Equal([("secret-file-dotenv", 0), ("secret-aws-access-key-id", 0), ("secret-github-token", 1), ("secret-env-variable", 1), ("secret-env-variable", -1)], rules);
        var json = System.Text.Json.JsonSerializer.Serialize(a, Strata.Analysis.Image.AnalysisJsonContext.Default.ImageAnalysis);
        Assert.DoesNotContain(AwsId, json, StringComparison.Ordinal);
        Assert.DoesNotContain(GitHub, json, StringComparison.Ordinal);
        Assert.Equal("RUN |1 GITHUB_TOKEN=ghp_******** /bin/sh -c make", a.Layers[1].Instruction);
        Assert.DoesNotContain("hunter2", json, StringComparison.Ordinal);
    }
}
