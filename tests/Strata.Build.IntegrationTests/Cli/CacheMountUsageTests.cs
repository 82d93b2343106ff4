using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.Cli;

/// <summary>
/// A RUN cache mount's build cache record in <c>system df -v</c>, next to docker 20.10's for the
/// same two builds: SIZE is what the mount holds and USAGE counts the steps that took it (docker's
/// BuildKit counts a cache mount record's uses; Strata used to print N/A).
/// </summary>
[Collection(DockerdGroup.Name)]
public sealed class CacheMountUsageTests(DockerdFixture docker)
{
    [SkippableFact]
    public async Task Two_builds_that_append_to_a_cache_mount_show_its_bytes_and_two_uses_as_docker_does()
    {
        Skip.If(docker.SkipReason is not null, docker.SkipReason);
        // A target of its own: the collection's other builds share both builders.
        var target = "/cache-" + Guid.NewGuid().ToString("N")[..12];
        using var temp = new TempDir("strata-cachemount-");
        var context = temp.Path;
        {
            foreach (var n in new[] { "1", "2" })
            {
                await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM base:1\nRUN --mount=type=cache,target={target} echo {n} >> {target}/f\n");
                (await docker.DockerAsync(["build", "--network=none", "-q", context])).EnsureSuccess();
                (await docker.Strata.RunAsync("build", "--network", "none", "-q", context)).EnsureSuccess();
            }

            // docker's first df after the builds (each df of docker's counts one more use).
            var theirs = Row((await docker.DockerAsync(["system", "df", "-v", "--format", Records])).EnsureSuccess().Stdout, target);
            var ours = Row((await docker.Strata.RunAsync("system", "df", "-v", "--format", Records)).EnsureSuccess().Stdout, target);

            Assert.Equal(("4B", "2"), theirs);
            Assert.Equal(theirs, ours);
        }
    }

    /// <summary>One line per build cache record: description, SIZE and USAGE (fields both builders name alike).</summary>
    private const string Records = "{{range .BuildCache}}{{.Description}}|{{.Size}}|{{.UsageCount}}\n{{end}}";

    /// <summary>SIZE and USAGE of the cache mount record whose description names <paramref name="target"/>.</summary>
    private static (string Size, string UsageCount) Row(string lines, string target)
    {
        var row = Assert.Single(lines.Split('\n'), l => l.StartsWith("cached mount ", StringComparison.Ordinal) && l.Contains(target, StringComparison.Ordinal)).Split('|');
        return (row[1], row[2]);
    }
}
