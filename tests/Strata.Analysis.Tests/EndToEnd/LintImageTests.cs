using System.Text;
using System.Text.Json.Nodes;
using Strata.Analysis.Lint;

namespace Strata.Analysis.Tests.EndToEnd;

/// <summary>
/// <c>strata lint --image</c>: the chapter's bad Dockerfiles, built by the real strata, lint with
/// the bytes their image measured, joined by the Dockerfile lines the build recorded; without an
/// image lint prints what it always printed. Needs root and runc, as builds do.
/// </summary>
public sealed class LintImageTests(ChapterStore store) : IClassFixture<ChapterStore>
{
    private const string AptBad = "FROM bb:1\nRUN mkdir -p /var/lib/apt/lists && head -c 300000 /dev/zero > /var/lib/apt/lists/deb_dists_Packages\nRUN rm -rf /var/lib/apt/lists/*\n";
    private const string SecretBad = "FROM bb:1\nCOPY id_rsa /root/.ssh/id_rsa\nRUN test -s /root/.ssh/id_rsa\nRUN rm /root/.ssh/id_rsa\n";
    private const string RootNote = "Dockerfile:1:1 STR015 the image has no USER, so it runs as root unless the base image sets one: add USER with an unprivileged user\n";
    private const string AptCleanup = "Dockerfile:3:5 STR002 'rm -rf /var/lib/apt/lists/*' runs in its own RUN: what it deletes stays in the layer of line 2, so this saves 0 bytes; clean up in that RUN";
    private const string SecretCopy = "Dockerfile:2:6 STR008 id_rsa is copied on line 2 and removed on line 4, but stays in the layer of line 2: use RUN --mount=type=secret";

    // Built at run time so no secret scanner flags this file.
    private static readonly byte[] Key = Encoding.ASCII.GetBytes("-----BEGIN " + "OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n");

    private Task<ProcessResult> LintAsync(string context, params string[] args) =>
        new StrataCli(store.Root).RunAsync(["lint", .. args, "Dockerfile"], new RunOptions { WorkingDirectory = context });

    [Fact]
    public async Task The_cleanup_RUN_of_the_apt_example_is_measured_saving_0_bytes_with_the_bytes_that_stay_in_layer_1()
    {
        var context = await store.BuildAsync("apt-bad:1", AptBad);

        var text = (await LintAsync(context, "--image", "apt-bad:1")).EnsureSuccess();
        Assert.Equal(RootNote + AptCleanup + "; measured in apt-bad:1: this RUN's layer 2 (Dockerfile:3) deleted 300 kB and saved 0 B; 300 kB stay in layer 1 (Dockerfile:2)\n", text.Stdout);
        Assert.Equal("", text.Stderr);

        var json = LintOutput.FromJson((await LintAsync(context, "--image", "apt-bad:1", "--format", "json")).EnsureSuccess().Stdout)!;
        var m = json.Findings.Single(f => f.Code == "STR002").Measured!;
        Assert.Equal(("apt-bad:1", 2, 0L, 300_000L, (long?)0, (int?)null), (m.Image, m.Layer, m.LayerBytes, m.Bytes, m.SavedBytes, m.RemovedByLayer));
        Assert.Equal([new LintLayerBytes(1, "Dockerfile:2", 300_000)], m.Stays);
        Assert.Null(json.Findings.Single(f => f.Code == "STR015").Measured);
    }

    [Fact]
    public async Task The_secret_copied_then_removed_is_measured_in_its_layer_in_text_json_and_sarif()
    {
        var context = await store.BuildAsync("secret-bad:1", SecretBad, new Dictionary<string, byte[]> { ["id_rsa"] = Key });

        var text = await LintAsync(context, "--image", "secret-bad:1");
        Assert.Equal(1, text.ExitCode); // a secret is an error, measured or not
        Assert.Equal(RootNote + SecretCopy + $"; measured in secret-bad:1: /root/.ssh/id_rsa is {Key.Length} B, deleted by layer 2 (Dockerfile:4) but still stored in layer 1 (Dockerfile:2)\n", text.Stdout);

        var json = LintOutput.FromJson((await LintAsync(context, "--image", "secret-bad:1", "--format", "json")).Stdout)!;
        var m = json.Findings.Single(f => f.Code == "STR008").Measured!;
        Assert.Equal((1, (long)Key.Length, (long?)null, (int?)2), (m.Layer, m.Bytes, m.SavedBytes, m.RemovedByLayer));
        Assert.Equal([new LintLayerBytes(1, "Dockerfile:2", Key.Length)], m.Stays);

        var sarif = JsonNode.Parse((await LintAsync(context, "--image", "secret-bad:1", "--format", "sarif")).Stdout)!;
        var result = sarif["runs"]![0]!["results"]!.AsArray().Single(r => (string?)r!["ruleId"] == "STR008")!;
        Assert.Equal((1, (long)Key.Length, 2), ((int)result["properties"]!["measured"]!["layer"]!, (long)result["properties"]!["measured"]!["bytes"]!, (int)result["properties"]!["measured"]!["removedByLayer"]!));
        Assert.EndsWith("but still stored in layer 1 (Dockerfile:2)", (string)result["message"]!["text"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_without_an_image_prints_exactly_what_it_printed_before()
    {
        var apt = await store.BuildAsync("apt-plain:1", AptBad);
        Assert.Equal(RootNote + AptCleanup + "\n", (await LintAsync(apt)).EnsureSuccess().Stdout);
        var json = (await LintAsync(apt, "--format", "json")).EnsureSuccess().Stdout;
        Assert.DoesNotContain("measured", json, StringComparison.Ordinal);
        Assert.DoesNotContain("measured", (await LintAsync(apt, "--format", "sarif")).EnsureSuccess().Stdout, StringComparison.Ordinal);

        var secret = await store.BuildAsync("secret-plain:1", SecretBad, new Dictionary<string, byte[]> { ["id_rsa"] = Key });
        Assert.Equal(RootNote + SecretCopy + "\n", (await LintAsync(secret)).Stdout);
    }

    [Fact]
    public async Task An_image_strata_did_not_build_measures_nothing_and_says_so()
    {
        var context = await store.BuildAsync("apt-imported:1", AptBad);
        var result = (await LintAsync(context, "--image", "bb:1")).EnsureSuccess();
        Assert.Equal(RootNote + AptCleanup + "\n", result.Stdout);
        Assert.Equal("lint: bb:1 has no Dockerfile lines recorded (strata build records them): nothing measured\n", result.Stderr);
    }

    [Fact]
    public async Task A_missing_image_is_one_line_naming_it()
    {
        var context = await store.BuildAsync("apt-missing:1", AptBad);
        var result = await LintAsync(context, "--image", "no-such-image:1");
        Assert.NotEqual(0, result.ExitCode);
        Assert.NotEqual(125, result.ExitCode);
        Assert.Equal("", result.Stdout);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("no-such-image:1", line, StringComparison.Ordinal);
    }
}
