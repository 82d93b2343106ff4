using Strata.Build.Context;

namespace Strata.Build.Tests.Context;

/// <summary>
/// <see cref="PatternMatcher.MatchesInWalk"/> (each pattern tested once per entry, the parent's
/// result handed down) must decide exactly as the full parent-by-parent evaluation.
/// </summary>
public sealed class PatternMatcherWalkTests
{
    private static readonly string[] Tree =
    [
        "a", "a/b", "a/b/c.log", "a/b/keep.txt", "logs", "logs/x", "logs/x/y.txt", "node_modules", "node_modules/p/index.js",
        "src", "src/logs", "src/logs/z", "Dockerfile.dev", "dir/Dockerfile.dev", "deep/1/2/3/4/file.log", "deep/1/2/3/4/file.txt",
    ];

    [Theory]
    [InlineData("node_modules", "logs", "*.log", "Dockerfile*")]
    [InlineData("**/*.log", "a/b")]
    [InlineData("deep/**", "src/*")]
    [InlineData("*", "!src")]
    [InlineData("**/logs", "!src/logs/z", "a")]
    public void The_walk_form_agrees_with_the_full_evaluation(params string[] patterns)
    {
        var matcher = new PatternMatcher(patterns);
        foreach (var path in Tree)
        {
            int slash = path.LastIndexOf('/');
            bool parent = slash > 0 && matcher.MatchesOrParentMatches(path[..slash]);
            Assert.True(matcher.MatchesOrParentMatches(path) == matcher.MatchesInWalk(path, parent), $"{string.Join(' ', patterns)}: {path}");
        }
    }
}
