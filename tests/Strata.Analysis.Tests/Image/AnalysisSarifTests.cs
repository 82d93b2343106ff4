using Strata.Analysis.Image;
using Strata.Analysis.Sarif;
using Strata.Analysis.Tests.Sarif;
using Strata.Images;
using Strata.Images.Transfer;
using static Strata.Analysis.Tests.Image.CraftedImage;

namespace Strata.Analysis.Tests.Image;

/// <summary><c>analyze --format sarif</c>: valid SARIF 2.1.0, rules with help, locations at Dockerfile lines or at layers and paths, secrets masked.</summary>
public sealed class AnalysisSarifTests : IDisposable
{
    // Built at run time so no scanner flags this source file.
    private static readonly string Key = "-----BEGIN " + "RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE KEY-----\n";
    private static readonly string GitHub = "ghp_" + new string('b', 36);

    private readonly TempDir _tempDir = new("strata-analyze-sarif-");

    public void Dispose() => _tempDir.Dispose();

    private static CraftedImage Image() => new CraftedImage()
        .Layer("ADD rootfs.tar /", w => File(w, "bin/sh", 100))
        .Layer("COPY id_rsa /root/.ssh/id_rsa", w => Text(w, "root/.ssh/id_rsa", Key))
        .Layer("RUN /bin/sh -c fetch", w => { File(w, "var/lib/apt/lists/big", 3000); File(w, "app/data", 1000); })
        .Layer($"RUN /bin/sh -c rm -rf /var/lib/apt/lists/* /root/.ssh/id_rsa && echo GITHUB_TOKEN={GitHub}", w =>
        {
            Whiteout(w, "var/lib/apt/lists/big");
            Whiteout(w, "root/.ssh/id_rsa");
            File(w, "app/data", 500, (byte)'n');
        });

    /// <summary>As a Strata build records it: one base layer, each step's line in build/Dockerfile.</summary>
    private static readonly Dictionary<string, string> Built = new()
    {
        [StoreAnnotations.BuildBaseLayers] = "1",
        [StoreAnnotations.BuildDockerfile] = "build/Dockerfile",
        [StoreAnnotations.BuildLines] = ",2,4,7",
    };

    private async Task<ImageAnalysis> AnalyzeAsync(IReadOnlyDictionary<string, string>? annotations)
    {
        var root = Path.Combine(_tempDir.Path, "layout");
        var manifest = Image().WriteLayout(root, annotations, env: ["API_TOKEN=hunter2-very-secret", "PATH=/bin"]);
        await using var source = new OciLayoutSource(root, "layout", 1 << 20);
        return await ImageAnalyzer.AnalyzeAsync(source, manifest, "crafted", ImageAnalysisOptions.Default, CancellationToken.None);
    }

    [Fact]
    public async Task Analysis_SARIF_is_valid_against_the_2_1_0_schema_with_and_without_build_records()
    {
        foreach (var annotations in new[] { Built, null })
        {
            var log = AnalysisSarifReport.ToSarif(await AnalyzeAsync(annotations), "1.2.3");
            var (code, output) = await SarifValidator.ValidateAsync(SarifWriter.ToJson(log), _tempDir.Path);
            Assert.True(code == 0, output);
            Assert.Contains("draft=Draft4Validator", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Findings_point_at_the_Dockerfile_lines_a_build_recorded_with_the_layer_and_path_beside()
    {
        var a = await AnalyzeAsync(Built);
        var run = Assert.Single(AnalysisSarifReport.ToSarif(a, "1.2.3").Runs);
        Assert.Equal(("strata", "1.2.3"), (run.Tool.Driver.Name, run.Tool.Driver.Version));
        Assert.Equal(AnalysisRules.All.Select(r => r.Id), run.Tool.Driver.Rules.Select(r => r.Id));
        Assert.Equal(a.Findings.Select(f => f.Rule), run.Results.Select(r => r.RuleId));
        Assert.All(run.Results, r => Assert.Equal(r.RuleId, run.Tool.Driver.Rules[r.RuleIndex].Id));

        var deleted = run.Results.Single(r => r.RuleId == "deleted-files" && (int)r.Properties!["layer"]! == 2);
        Assert.Equal("warning", deleted.Level);
        Assert.Equal("3 kB in 1 file added by layer 2 and deleted by layer 3 still ship in layer 2; biggest: /var/lib/apt/lists/big (3 kB). "
            + "Fix: remove them in the same RUN that creates them (layer 2's step), or make them in a build stage and COPY --from only what the image needs.", deleted.Message.Text);
        var at = Assert.Single(deleted.Locations);
        Assert.Equal(("build/Dockerfile", 4, 1), (at.PhysicalLocation!.ArtifactLocation.Uri, at.PhysicalLocation.Region.StartLine, at.PhysicalLocation.Region.StartColumn));
        Assert.Equal(
            [("layer 2", $"layer 2 {a.Layers[2].DiffId}", "module"), ("/var/lib/apt/lists/big", "layer 2:/var/lib/apt/lists/big", "resource")],
            at.LogicalLocations!.Select(l => (l.Name, l.FullyQualifiedName, l.Kind)));
        var by = Assert.Single(deleted.RelatedLocations!);
        Assert.Equal((1, "build/Dockerfile", 7), (by.Id, by.PhysicalLocation!.ArtifactLocation.Uri, by.PhysicalLocation.Region.StartLine));
        Assert.Equal($"layer 3 deleted them: build/Dockerfile:7: {a.Layers[3].Instruction}", by.Message!.Text);
        Assert.Equal((3000L, 1, "/var/lib/apt/lists/big"), ((long)deleted.Properties!["bytes"]!, (int)deleted.Properties["pathCount"]!, (string)deleted.Properties["paths"]![0]!["path"]!));
        Assert.Equal(32, deleted.PartialFingerprints![AnalysisSarifReport.FingerprintName].Length);

        var key = run.Results.Single(r => r.RuleId == "secret-private-key");
        Assert.Equal(("error", 2), (key.Level, key.Locations[0].PhysicalLocation!.Region.StartLine));
        Assert.Equal("layer 3 deleted it: build/Dockerfile:7: " + a.Layers[3].Instruction, key.RelatedLocations![0].Message!.Text);
        var env = run.Results.Single(r => r.RuleId == "secret-env-variable" && (int)r.Properties!["layer"]! == -1);
        Assert.Null(env.Locations[0].PhysicalLocation);
        Assert.Equal([("config", "image config", "object")], env.Locations[0].LogicalLocations!.Select(l => (l.Name, l.FullyQualifiedName, l.Kind)));

        var rule = run.Tool.Driver.Rules.Single(r => r.Id == "metadata-copy-up");
        Assert.Equal(("MetadataCopyUp", "warning"), (rule.Name, rule.DefaultConfiguration.Level));
        Assert.Equal("A later layer stores whole files again with the same content, only to change mode, owner or time (chmod, chown, touch).\n"
            + "Fix: set mode and owner when the files are added (COPY --chmod=... --chown=...), or chmod/chown in the same RUN that creates them.", rule.Help.Text);
        Assert.Equal(["image", "secret", "security"], run.Tool.Driver.Rules.Single(r => r.Id == "secret-github-token").Properties!.Tags);
    }

    [Fact]
    public async Task Without_build_records_findings_point_at_layers_and_paths_only()
    {
        var a = await AnalyzeAsync(null);
        var run = AnalysisSarifReport.ToSarif(a).Runs[0];
        Assert.NotEmpty(run.Results);
        Assert.All(run.Results, r => Assert.Null(Assert.Single(r.Locations).PhysicalLocation));
        var overwritten = run.Results.Single(r => r.RuleId == "overwritten-files");
        Assert.Equal(
            [("layer 2", $"layer 2 {a.Layers[2].DiffId}", "module"), ("/app/data", "layer 2:/app/data", "resource")],
            overwritten.Locations[0].LogicalLocations!.Select(l => (l.Name, l.FullyQualifiedName, l.Kind)));
        var related = Assert.Single(overwritten.RelatedLocations!);
        Assert.Null(related.PhysicalLocation);
        Assert.Equal(("layer 3", $"layer 3 {a.Layers[3].DiffId}"), (related.LogicalLocations![0].Name, related.LogicalLocations[0].FullyQualifiedName));
    }

    [Fact]
    public async Task Secret_values_never_appear_in_the_SARIF_log()
    {
        var a = await AnalyzeAsync(Built);
        var json = SarifWriter.ToJson(AnalysisSarifReport.ToSarif(a));
        Assert.Equal(["secret-file-private-key", "secret-private-key", "secret-github-token", "secret-env-variable", "secret-env-variable"], a.Findings.Where(f => f.Category == "secret").Select(f => f.Rule));
        Assert.DoesNotContain("MIIEow", json, StringComparison.Ordinal);
        Assert.DoesNotContain(GitHub, json, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", json, StringComparison.Ordinal);
        Assert.Contains("GITHUB_TOKEN=ghp_********", json, StringComparison.Ordinal);
    }
}
