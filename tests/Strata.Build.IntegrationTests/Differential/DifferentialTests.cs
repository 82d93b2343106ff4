using System.Globalization;
using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.Differential;

/// <summary>
/// Each folder of Cases/ built by BuildKit (docker 20.10) and by strata from the same context on
/// the same base: the final root filesystems must be equal path by path (type, mode, owner,
/// size, content, link target, hardlink group, xattrs; mtimes aside) and the user-visible
/// config fields equal. Cases BuildKit 0.8 cannot build are checked against expected files.
/// </summary>
[Collection(DockerdGroup.Name)]
public sealed class DifferentialTests
{
    private readonly DockerdFixture _docker;

    public DifferentialTests(DockerdFixture docker) => _docker = docker;

    public static TheoryData<string> Cases() => new(BuildCase.All().Where(n => !new BuildCase(n).StrataOnly));

    public static TheoryData<string> StrataOnlyCases() => new(BuildCase.All().Where(n => new BuildCase(n).StrataOnly));

    /// <summary>A case BuildKit 0.8 cannot build (its strata-only file says why): strata's image against the case's expected files.</summary>
    [Theory]
    [MemberData(nameof(StrataOnlyCases))]
    public async Task Strata_only_case_gives_its_expected_files(string name)
    {
        var buildCase = new BuildCase(name);
        Assert.False(string.IsNullOrWhiteSpace(await File.ReadAllTextAsync(Path.Combine(buildCase.Folder, "strata-only"))), $"case {name}: strata-only must say why BuildKit cannot build it");
        var work = Path.Combine(_docker.Root, "cases", name);
        var context = Path.Combine(work, "context");
        await buildCase.PrepareContextAsync(context);
        var tag = "case-" + name + ":latest";
        await BuildWithStrataAsync(buildCase, context, tag);
        var rootfs = Path.Combine(work, "strata-rootfs");
        await ImageTrees.UnpackStrataAsync(_docker.Strata, tag, rootfs);
        await AssertExpectedFilesAsync(buildCase, rootfs);
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public async Task Case_gives_the_same_rootfs_and_config_as_BuildKit(string name)
    {
        var buildCase = new BuildCase(name);
        var work = Path.Combine(_docker.Root, "cases", name);
        var context = Path.Combine(work, "context");
        await buildCase.PrepareContextAsync(context);
        var tag = "case-" + name + ":latest";

        Skip.If(_docker.SkipReason is not null, _docker.SkipReason);
        // What exists before the builds (the base, the context) keeps its mtime through COPY on
        // both sides; what a build creates has that build's own time. Layer tars keep whole
        // seconds, so only what is older than the second before the build counts as "before".
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;
        await BuildWithDockerAsync(buildCase, context, tag);
        await BuildWithStrataAsync(buildCase, context, tag);

        var dockerRoot = Path.Combine(work, "buildkit-rootfs");
        var strataRoot = Path.Combine(work, "strata-rootfs");
        await ImageTrees.UnpackDockerAsync(_docker, tag, dockerRoot, Path.Combine(work, "docker-save"));
        await ImageTrees.UnpackStrataAsync(_docker.Strata, tag, strataRoot);
        // Guard against comparing two empty trees (an unpack that silently wrote nothing).
        Assert.True(Directory.EnumerateFileSystemEntries(strataRoot).Any(), $"case {name}: strata's rootfs is empty");
        var differences = (await TreeDiff.CompareAsync(dockerRoot, strataRoot, compareMtimes: e => e.Type != "Directory" && e.Mtime < before)).ToList();

        var dockerInspect = (await _docker.DockerAsync("image", "inspect", tag)).EnsureSuccess().Stdout;
        var strataInspect = (await _docker.Strata.RunAsync("inspect", tag)).EnsureSuccess().Stdout;
        differences.AddRange(ConfigDiff.Compare(dockerInspect, strataInspect));
        differences.AddRange(ConfigDiff.ComparePlatform(dockerInspect, strataInspect));
        differences.AddRange(await HistoryDiffAsync(tag));
        var layers = (Docker: LayerCount(dockerInspect), Strata: LayerCount(strataInspect));
        if (layers.Docker != layers.Strata) differences.Add($"RootFS.Layers: buildkit={layers.Docker} strata={layers.Strata}");
        // Differences a case documents (with the reason) in known-differences: exact lines, or
        // prefixes ending in *. Each entry must still occur, so a fixed bug fails until its entry goes.
        var known = Path.Combine(buildCase.Folder, "known-differences");
        if (File.Exists(known))
        {
            foreach (var entry in File.ReadAllLines(known).Where(l => l.Length > 0 && !l.StartsWith('#')))
            {
                bool Matches(string d) => entry.EndsWith('*') ? d.StartsWith(entry[..^1], StringComparison.Ordinal) : d == entry;
                Assert.True(differences.Any(Matches), $"case {name}: known difference no longer occurs (remove it from known-differences): {entry}");
                differences.RemoveAll(Matches);
            }
        }
        Assert.True(differences.Count == 0,
            $"case {name}: strata differs from BuildKit in {differences.Count} way(s):\n  " + string.Join("\n  ", differences));
    }

    /// <summary>
    /// History rows (CREATED BY, newest first) as docker history prints them for both builds.
    /// Sizes are left out here: strata's history counts symlink target lengths in a layer's
    /// size where docker counts regular files only (a store/history matter, not the build's);
    /// the scenario tests compare sizes on layers without symlinks.
    /// </summary>
    private async Task<IEnumerable<string>> HistoryDiffAsync(string tag)
    {
        string[] format = ["history", "--no-trunc", "--format", "{{.CreatedBy}}", tag];
        var expected = (await _docker.DockerAsync(format)).EnsureSuccess().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var actual = (await _docker.Strata.RunAsync(format)).EnsureSuccess().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (expected.SequenceEqual(actual)) return [];
        return ["history differs:\n    buildkit: " + string.Join("\n              ", expected) + "\n    strata:   " + string.Join("\n              ", actual)];
    }

    private static int LayerCount(string inspect)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(inspect);
        return doc.RootElement[0].GetProperty("RootFS").GetProperty("Layers").GetArrayLength();
    }

    private async Task BuildWithDockerAsync(BuildCase buildCase, string context, string tag)
    {
        if (buildCase.ParentDockerfile is { } parent)
            (await _docker.DockerAsync(["build", "--network=none", "-q", "-t", "onbuild-parent:1", "-f", parent, context])).EnsureSuccess();
        (await _docker.DockerAsync(["build", "--network=none", "-q", "-t", tag, "-f", buildCase.DockerfilePath, .. buildCase.BuildArgs, context])).EnsureSuccess();
    }

    private async Task BuildWithStrataAsync(BuildCase buildCase, string context, string tag)
    {
        if (buildCase.ParentDockerfile is { } parent)
            (await _docker.Strata.RunAsync("build", "--network", "none", "-q", "-t", "onbuild-parent:1", "-f", parent, context)).EnsureSuccess();
        (await _docker.Strata.RunAsync(["build", "--network", "none", "-q", "-t", tag, "-f", buildCase.DockerfilePath, .. buildCase.BuildArgs, context])).EnsureSuccess();
    }

    private static async Task AssertExpectedFilesAsync(BuildCase buildCase, string rootfs)
    {
        var tree = await ReferenceTree.CaptureAsync(rootfs);
        var problems = new List<string>();
        var lines = File.ReadAllLines(Path.Combine(buildCase.Folder, "expected.txt")).Where(l => l.Length > 0).ToList();
        Assert.True(lines.Count > 0, $"case {buildCase.Name}: expected.txt lists nothing");
        foreach (var line in lines)
        {
            var parts = line.Split('\t');
            var relative = parts[0].TrimStart('/');
            tree.TryGetValue(relative, out var entry);
            if (parts.Length == 2 && parts[1] == "absent")
            {
                if (entry is not null) problems.Add($"{parts[0]}: present, want absent");
                continue;
            }
            if (entry is not { Type: "File" }) { problems.Add($"{parts[0]}: missing"); continue; }
            var mode = entry.Mode.PadLeft(4, '0');
            if (mode != parts[1]) problems.Add($"{parts[0]}: mode {mode}, want {parts[1]}");
            var owner = string.Create(CultureInfo.InvariantCulture, $"{entry.Uid}:{entry.Gid}");
            if (owner != parts[2]) problems.Add($"{parts[0]}: owner {owner}, want {parts[2]}");
            var content = await File.ReadAllTextAsync(Path.Combine(rootfs, relative));
            var want = parts[3].Replace("\\n", "\n", StringComparison.Ordinal);
            if (content != want) problems.Add($"{parts[0]}: content {content.ReplaceLineEndings("\\n")}, want {parts[3]}");
        }
        Assert.True(problems.Count == 0, $"case {buildCase.Name}:\n  " + string.Join("\n  ", problems));
    }
}
