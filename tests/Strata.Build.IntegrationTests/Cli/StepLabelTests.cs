using System.Text.RegularExpressions;
using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.Cli;

/// <summary>
/// Step labels next to BuildKit's (docker 20.10, <c>--progress=plain</c>) for the same Dockerfile:
/// <c>[stage-N k/n]</c> or the AS name, none for a one-stage Dockerfile, FROM counted as step 1,
/// metadata-only instructions not shown, numbers padded to the width of the total.
/// </summary>
[Collection(DockerdGroup.Name)]
public sealed partial class StepLabelTests(DockerdFixture docker)
{
    [SkippableTheory]
    [InlineData("FROM base:1 AS build\nRUN echo a > /a\nENV X=1\nWORKDIR /w\nCOPY f /f\nFROM base:1\nLABEL x=y\nRUN echo b > /b\nCOPY --from=build /a /a\nCMD [\"sh\"]\n")]
    [InlineData("FROM base:1\nARG A=1\nENV X=1\nUSER root\nVOLUME /v\nEXPOSE 80\nENTRYPOINT [\"sh\"]\nWORKDIR /w\nRUN echo 1\nRUN echo 2\nRUN echo 3\nRUN echo 4\nRUN echo 5\nRUN echo 6\nRUN echo 7\nRUN echo 8\nRUN echo 9\nADD f /g\n")]
    [InlineData("FROM base:1 AS unused\nRUN echo u\nFROM base:1\nRUN echo 2\nFROM base:1\nCOPY --from=1 /etc/group /g\nRUN echo x\n")]
    public async Task Steps_are_labelled_as_BuildKit_labels_them(string dockerfile)
    {
        Skip.If(docker.SkipReason is not null, docker.SkipReason);
        using var contextDir = new TempDir("strata-labels-");
        var context = contextDir.Path;
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), dockerfile);
        await File.WriteAllTextAsync(Path.Combine(context, "f"), "f\n");
        var theirs = (await docker.DockerAsync(["build", "--network=none", "--no-cache", "--progress=plain", context])).EnsureSuccess();
        var ours = (await docker.Strata.RunAsync("build", "--network", "none", "--no-cache", "--progress", "plain", context)).EnsureSuccess();
        // FROM lines aside: BuildKit names the base docker.io/library/base:1 and shows one
        // vertex for stages with the same base.
        Assert.Equal(Labels(theirs.Stderr), Labels(ours.Stderr));
        Assert.NotEmpty(Labels(ours.Stderr));
        Assert.Contains(ours.Stderr.Split('\n'), l => FromLine().IsMatch(l));
    }

    private static List<string> Labels(string stderr) =>
        [.. stderr.Split('\n').Select(l => StepLine().Match(l)).Where(m => m.Success && !m.Groups[1].Value.StartsWith("[internal]", StringComparison.Ordinal) && !m.Groups[1].Value.Contains("] FROM ", StringComparison.Ordinal))
            .Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"^#\d+ (\[[^\]]*\] [A-Z]+ .*)$")]
    private static partial Regex StepLine();

    [GeneratedRegex(@"^#\d+ \[(\S+ )?\s?1/\d+\] FROM base:1$")]
    private static partial Regex FromLine();
}
