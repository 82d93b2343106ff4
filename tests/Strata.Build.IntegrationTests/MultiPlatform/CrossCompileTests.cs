namespace Strata.Build.IntegrationTests.MultiPlatform;

/// <summary>
/// The cross-compile pattern: a <c>FROM --platform=$BUILDPLATFORM</c> stage makes files for
/// every target natively, each target stage copies its own. The build log shows every RUN ran
/// as the build platform, and once (the second platform's is cached); the build works with a
/// binfmt_misc directory that has no handler at all, so nothing was emulated.
/// </summary>
[Collection(MultiPlatformGroup.Name)]
public sealed class CrossCompileTests(MultiPlatformHost host)
{
    private const string Dockerfile = """
        FROM --platform=$BUILDPLATFORM busybox:multi AS build
        RUN mkdir /out && for a in amd64 arm64; do echo "$(uname -m) made $a" > /out/$a; done
        FROM busybox:multi
        ARG TARGETARCH
        COPY --from=build /out/$TARGETARCH /made
        """;

    [Fact]
    public async Task Native_stage_runs_once_as_the_build_platform_and_each_target_copies_its_file()
    {
        var strata = await host.NewStoreAsync("cross");
        var context = host.NewDirectory("context-cross");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), Dockerfile);
        var noHandlers = host.NewDirectory("binfmt-none-cross");
        await File.WriteAllTextAsync(Path.Combine(noHandlers, "status"), "enabled\n");

        var build = (await strata.RunAsync(["build", "--progress", "plain", "--platform", "linux/amd64,linux/arm64", "-t", "cross:1", context], new RunOptions { Environment = new Dictionary<string, string?> { ["STRATA_BINFMT_MISC"] = noHandlers } })).EnsureSuccess();

        var runs = EmulatedBuildTests.StepTitles(build.Stderr).Where(t => t.Contains("] RUN ", StringComparison.Ordinal)).Order().ToList();
        Assert.Equal(["[linux/amd64 build 2/2] RUN mkdir /out && for a in amd64 arm64; do echo \"$(uname -m) made $a\" > /out/$a; done",
                      "[linux/amd64->arm64 build 2/2] RUN mkdir /out && for a in amd64 arm64; do echo \"$(uname -m) made $a\" > /out/$a; done"], runs);
        // One of the two ran, the other was the cache's.
        var ids = System.Text.RegularExpressions.Regex.Matches(build.Stderr, @"^#(\d+) \[linux/amd64[^\]]* build 2/2\] RUN", System.Text.RegularExpressions.RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, ids.Count);
        Assert.Equal(1, ids.Count(id => build.Stderr.Contains($"\n#{id} CACHED\n", StringComparison.Ordinal)));
        Assert.Equal(1, ids.Count(id => System.Text.RegularExpressions.Regex.IsMatch(build.Stderr, $@"^#{id} DONE \d", System.Text.RegularExpressions.RegexOptions.Multiline)));

        var layout = new OciLayoutReader(strata.StoreRoot);
        var children = layout.Document((string)layout.Root("cross:1")["digest"]!)["manifests"]!.AsArray();
        Assert.Equal(["amd64", "arm64"], children.Select(c => (string?)c!["platform"]!["architecture"]));
        foreach (var child in children)
        {
            var arch = (string)child!["platform"]!["architecture"]!;
            Assert.Equal($"x86_64 made {arch}\n", layout.ReadFile((string)child["digest"]!, "made"));
        }
    }
}
