using System.Text.RegularExpressions;
using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Containers.Tests.Fixtures;

/// <summary>One container's row of <c>strata ps [-a]</c>, and a match that shows the whole row when it fails.</summary>
internal static class PsLines
{
    /// <summary>The row ending in NAME ("" when there is none).</summary>
    public static async Task<string> OfAsync(StrataCli cli, string name, bool all = false)
    {
        var ps = (await cli.RunAsync(all ? ["ps", "-a"] : ["ps"], new RunOptions())).EnsureSuccess().Stdout;
        return ps.Split('\n').SingleOrDefault(l => l.EndsWith(" " + name, StringComparison.Ordinal)) ?? "";
    }

    /// <summary>Assert.Matches cuts the row short; a status that differs is exactly what a failure must show.</summary>
    public static void AssertMatches(string pattern, string row) =>
        Assert.True(Regex.IsMatch(row, pattern), $"ps row \"{row}\" does not match /{pattern}/");
}
