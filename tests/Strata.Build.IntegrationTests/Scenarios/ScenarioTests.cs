using System.Text.Json;
using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.Scenarios;

/// <summary>
/// The seed's build scenarios (SEED-SCENARIOS.md S1, S3, S4, S14, S19, S21, S24) on the busybox
/// base: layer counts and history as the seed describes them, and, where dockerd runs, history
/// rows (size and CREATED BY, newest first) equal to BuildKit's for the same Dockerfile.
/// </summary>
[Collection(DockerdGroup.Name)]
public sealed class ScenarioTests
{
    private readonly DockerdFixture _docker;

    public ScenarioTests(DockerdFixture docker) => _docker = docker;

    [SkippableFact]
    public async Task S1_layers_stack_bottom_up_with_one_layer_per_filesystem_step()
    {
        var tag = await BuildAsync("s1-layers");
        Assert.Equal(BaseLayers + 3, await LayerCountAsync(tag)); // WORKDIR (creates /app), RUN, COPY
        var rows = await HistoryAsync(tag);
        // 35 bytes: package.json (15) and dep.js (20); the bottom row is the base image's own.
        Assert.Equal(
            ["0B\tCMD [\"sh\" \"-c\" \"cat app.js\"]", "22B\tCOPY app.js . # buildkit",
             "35B\tRUN /bin/sh -c echo '{\"name\":\"app\"}' > package.json && mkdir node_modules && echo 'module.exports = 1;' > node_modules/dep.js # buildkit",
             "0B\tWORKDIR /app", .. await HistoryAsync("base:1")],
            rows);
        await AssertHistoryMatchesBuildKitAsync("s1-layers", rows);
    }

    [SkippableFact]
    public async Task S3_metadata_instructions_add_empty_history_rows_only()
    {
        var tag = await BuildAsync("s3-metadata");
        Assert.Equal(BaseLayers + 2, await LayerCountAsync(tag)); // RUN and COPY only
        var rows = await HistoryAsync(tag);
        Assert.Equal(7, rows.Count);
        foreach (var prefix in new[] { "ENV ", "EXPOSE ", "LABEL ", "CMD " })
            Assert.StartsWith("0B\t", Assert.Single(rows, r => r.Split('\t')[1].StartsWith(prefix, StringComparison.Ordinal)));
        await AssertHistoryMatchesBuildKitAsync("s3-metadata", rows);
    }

    [SkippableFact]
    public async Task S4_layer_test_lists_COPY_then_three_8_byte_RUN_rows_then_the_base()
    {
        var tag = await BuildAsync("s4-layer-test");
        Assert.Equal(BaseLayers + 4, await LayerCountAsync(tag));
        var rows = await HistoryAsync(tag);
        Assert.Equal(5, rows.Count);
        Assert.Equal("27B\tCOPY app.js /app.js # buildkit", rows[0]);
        Assert.Equal("8B\tRUN /bin/sh -c echo \"Layer 3\" > /file3.txt # buildkit", rows[1]);
        Assert.Equal("8B\tRUN /bin/sh -c echo \"Layer 2\" > /file2.txt # buildkit", rows[2]);
        Assert.Equal("8B\tRUN /bin/sh -c echo \"Layer 1\" > /file1.txt # buildkit", rows[3]);
        Assert.Equal(DockerfileBaseRow, rows[4].Split('\t')[1]);
        await AssertHistoryMatchesBuildKitAsync("s4-layer-test", rows);
    }

    [SkippableFact]
    public async Task S14_history_formats_and_inspect_layers_of_a_multi_step_build()
    {
        var tag = await BuildAsync("s14-practice");
        Assert.Equal(BaseLayers + 4, await LayerCountAsync(tag)); // WORKDIR, COPY package.json, RUN, COPY .
        var rows = await HistoryAsync(tag);
        Assert.Equal(9, rows.Count);
        var table = (await _docker.Strata.RunAsync("history", tag)).EnsureSuccess().Stdout;
        Assert.Equal(["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"], System.Text.RegularExpressions.Regex.Split(table.Split('\n')[0].TrimEnd(), " {2,}"));
        Assert.Equal(10, table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var noTrunc = (await _docker.Strata.RunAsync("history", "--no-trunc", tag)).EnsureSuccess().Stdout;
        Assert.Contains("RUN /bin/sh -c echo installed > node_modules.txt # buildkit", noTrunc, StringComparison.Ordinal);
        var layers = (await _docker.Strata.RunAsync("inspect", "--format", "{{json .RootFS.Layers}}", tag)).EnsureSuccess().Stdout;
        Assert.Equal(BaseLayers + 4, JsonDocument.Parse(layers).RootElement.GetArrayLength());
        await AssertHistoryMatchesBuildKitAsync("s14-practice", rows);
    }

    [Fact]
    public async Task S19_final_stage_holds_no_build_tools_and_no_intermediate_files()
    {
        var tag = await BuildAsync("s19-node-multistage");
        var rootfs = Path.Combine(_docker.Root, "scenario-s19");
        await ImageTrees.UnpackStrataAsync(_docker.Strata, tag, rootfs);
        Assert.True(File.Exists(Path.Combine(rootfs, "app", "dist", "app.js")));
        Assert.True(File.Exists(Path.Combine(rootfs, "app", "node_modules", "dep.js")));
        Assert.False(Directory.Exists(Path.Combine(rootfs, "usr", "local", "build-tools")));
        Assert.False(Directory.Exists(Path.Combine(rootfs, "app", "src")));
        Assert.False(File.Exists(Path.Combine(rootfs, "app", "package.json")));
        Assert.Equal(BaseLayers + 3, await LayerCountAsync(tag)); // WORKDIR and two COPY --from
    }

    [SkippableFact]
    public async Task S21_prod_image_is_smaller_than_dev_and_runs_as_node_in_docker()
    {
        var dev = await BuildAsync("s21-dev");
        var prod = await BuildAsync("s21-prod");
        Assert.True(await SizeAsync(prod) < await SizeAsync(dev), "prod should be smaller than dev");
        using (var inspect = JsonDocument.Parse((await _docker.Strata.RunAsync("inspect", prod)).EnsureSuccess().Stdout))
            Assert.Equal("node", inspect.RootElement[0].GetProperty("Config").GetProperty("User").GetString());

        Skip.If(_docker.SkipReason is not null, _docker.SkipReason);
        // strata save | docker load, then docker run: the archive is a docker image and the user, workdir and cmd hold.
        var archive = Path.Combine(_docker.Root, "s21-prod.tar");
        (await _docker.Strata.RunAsync(["save", prod], new RunOptions { StdoutFile = archive })).EnsureSuccess();
        (await _docker.DockerAsync(["load"], stdinFile: archive)).EnsureSuccess();
        var run = (await _docker.DockerAsync("run", "--rm", "--network=none", prod)).EnsureSuccess();
        Assert.Equal("console.log('s21');\n", run.Stdout);
        var id = (await _docker.DockerAsync("run", "--rm", "--network=none", prod, "sh", "-c", "id -u; pwd; stat -c %U /app/app.js")).EnsureSuccess();
        Assert.Equal("1000\n/app\nnode\n", id.Stdout);
    }

    [Fact]
    public async Task S24_independent_stages_run_at_the_same_time()
    {
        var buildCase = new BuildCase("s24-parallel");
        var context = Path.Combine(_docker.Root, "scenario-s24");
        await buildCase.PrepareContextAsync(context);
        var result = (await _docker.Strata.RunAsync(["build", "--no-cache", "--progress", "plain", "-t", "scenario-s24", "-f", buildCase.DockerfilePath, context])).EnsureSuccess();
        var lines = result.Stderr.Split('\n');
        // No clock: the order of progress lines shows the overlap. The RUN of the second
        // stage to start must have started before the first one finished.
        var a = StepId(lines, "[stage-a 2/2] RUN sleep 2");
        var b = StepId(lines, "[stage-b 2/2] RUN sleep 2");
        int startA = Array.FindIndex(lines, l => l.StartsWith(a + " [", StringComparison.Ordinal));
        int startB = Array.FindIndex(lines, l => l.StartsWith(b + " [", StringComparison.Ordinal));
        int doneA = Array.FindIndex(lines, l => l.StartsWith(a + " DONE", StringComparison.Ordinal));
        int doneB = Array.FindIndex(lines, l => l.StartsWith(b + " DONE", StringComparison.Ordinal));
        Assert.True(doneA > 0 && doneB > 0, result.Stderr);
        Assert.True(Math.Max(startA, startB) < Math.Min(doneA, doneB), "the stages ran one after the other:\n" + result.Stderr);
    }

    private static string StepId(string[] lines, string name) =>
        lines.First(l => l.Contains(name, StringComparison.Ordinal)).Split(' ')[0];

    /// <summary>The base image's only layer (busybox rootfs imported by strata).</summary>
    private const int BaseLayers = 1;

    /// <summary>Imported images have one history row with an empty CREATED BY.</summary>
    private const string DockerfileBaseRow = "";

    private async Task<string> BuildAsync(string name)
    {
        var buildCase = new BuildCase(name);
        var context = Path.Combine(_docker.Root, "scenario-" + name);
        if (!Directory.Exists(context)) await buildCase.PrepareContextAsync(context);
        var tag = "scenario-" + name + ":latest";
        (await _docker.Strata.RunAsync(["build", "--network", "none", "-q", "-t", tag, "-f", buildCase.DockerfilePath, .. buildCase.BuildArgs, context])).EnsureSuccess();
        return tag;
    }

    private async Task<List<string>> HistoryAsync(string tag) =>
        [.. (await _docker.Strata.RunAsync("history", "--no-trunc", "--format", "{{.Size}}\t{{.CreatedBy}}", tag)).EnsureSuccess()
            .Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    private async Task<int> LayerCountAsync(string tag)
    {
        using var doc = JsonDocument.Parse((await _docker.Strata.RunAsync("inspect", tag)).EnsureSuccess().Stdout);
        return doc.RootElement[0].GetProperty("RootFS").GetProperty("Layers").GetArrayLength();
    }

    private async Task<long> SizeAsync(string tag)
    {
        using var doc = JsonDocument.Parse((await _docker.Strata.RunAsync("inspect", tag)).EnsureSuccess().Stdout);
        return doc.RootElement[0].GetProperty("Size").GetInt64();
    }

    /// <summary>Same rows (size, CREATED BY) as docker history of BuildKit's build, when dockerd runs.</summary>
    private async Task AssertHistoryMatchesBuildKitAsync(string name, List<string> strataRows)
    {
        // Strata's own rows were checked above; without the reference engine the comparison
        // cannot be made, and the test says so (skipped, with the reason) instead of passing.
        Skip.If(_docker.SkipReason is not null, $"BuildKit comparison of {name} not made: {_docker.SkipReason}");
        var buildCase = new BuildCase(name);
        var context = Path.Combine(_docker.Root, "scenario-" + name);
        var tag = "buildkit-" + name + ":latest";
        (await _docker.DockerAsync(["build", "--network=none", "-q", "-t", tag, "-f", buildCase.DockerfilePath, .. buildCase.BuildArgs, context])).EnsureSuccess();
        var rows = (await _docker.DockerAsync("history", "--no-trunc", "--format", "{{.Size}}\t{{.CreatedBy}}", tag)).EnsureSuccess()
            .Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(rows, strataRows);
    }
}
