using System.Text.Json;
using Strata.Build.Context;
using Strata.Core;

namespace Strata.Build.Tests.Context;

/// <summary>moby/patternmatcher's own tables (../shared/conformance/moby-patternmatcher).</summary>
public sealed class PatternMatcherConformanceTests
{
    private static JsonElement Cases(string file) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Conformance, "moby-patternmatcher", file))).RootElement.GetProperty("cases");

    [Fact]
    public void Every_single_pattern_case_matches_as_docker_does()
    {
        var failures = new List<string>();
        int count = 0;
        foreach (var c in Cases("matches-single-pattern.json").EnumerateArray())
        {
            var pattern = c.GetProperty("pattern").GetString()!;
            var path = c.GetProperty("path").GetString()!;
            bool expected = c.GetProperty("matches").GetBoolean();
            var matcher = new PatternMatcher([pattern]);
            count++;
            if (matcher.MatchesOrParentMatches(path) != expected) failures.Add($"{pattern} vs {path}: want {expected}");
            if (WalkUsingParents(matcher, path) != expected) failures.Add($"{pattern} vs {path} (incremental): want {expected}");
        }
        Assert.Equal(68, count); // every row of the table was read (a reader that stops early tests less than it says)
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Every_multi_pattern_case_matches_as_docker_does()
    {
        var failures = new List<string>();
        int count = 0;
        foreach (var c in Cases("matches-multi-pattern.json").EnumerateArray())
        {
            count++;
            var patterns = c.GetProperty("patterns").EnumerateArray().Select(p => p.GetString()!).ToList();
            var path = c.GetProperty("path").GetString()!;
            bool expected = c.GetProperty("matches").GetBoolean();
            var matcher = new PatternMatcher(patterns);
            if (matcher.MatchesOrParentMatches(path) != expected) failures.Add($"[{string.Join(", ", patterns)}] vs {path}: want {expected}");
            if (WalkUsingParents(matcher, path) != expected) failures.Add($"[{string.Join(", ", patterns)}] vs {path} (incremental): want {expected}");
        }
        Assert.Equal(4, count);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Every_glob_case_matches_or_fails_as_go_filepath_match_does()
    {
        var failures = new List<string>();
        int count = 0;
        foreach (var c in Cases("match-glob.json").EnumerateArray())
        {
            var pattern = c.GetProperty("pattern").GetString()!;
            var path = c.GetProperty("path").GetString()!;
            bool wantError = c.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String;
            bool expected = c.GetProperty("matches").GetBoolean();
            count++;
            try
            {
                var clean = GoPath.Clean(path);
                bool actual = clean != "." && new PatternMatcher([pattern]).Matches(clean);
                if (wantError) failures.Add($"{pattern} vs {path}: want ErrBadPattern, got {actual}");
                else if (actual != expected) failures.Add($"{pattern} vs {path}: want {expected}");
            }
            catch (InvalidArgumentException)
            {
                if (!wantError) failures.Add($"{pattern} vs {path}: unexpected error");
            }
        }
        Assert.Equal(54, count);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Reading_an_ignore_file_keeps_docker_normal_form()
    {
        var dir = Path.Combine(RepoPaths.Conformance, "moby-patternmatcher");
        var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "ignorefile-readall.expected.json"))).RootElement
            .GetProperty("expectedPatterns").EnumerateArray().Select(p => p.GetString()!).ToList();
        var actual = DockerIgnoreFile.Parse(File.ReadAllText(Path.Combine(dir, "ignorefile-readall.dockerignore")));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_lone_exclamation_mark_is_an_illegal_pattern()
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => new PatternMatcher(["!"]));
        Assert.Contains("illegal exclusion pattern", ex.Message, StringComparison.Ordinal);
    }

    // Walk from the top as a context walker does, handing each directory's results to its child.
    private static bool WalkUsingParents(PatternMatcher matcher, string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return matcher.MatchesOrParentMatches(path);
        var state = MatchState.None;
        bool result = false;
        for (int i = 0; i < parts.Length; i++)
            result = matcher.MatchesUsingParentResults(string.Join('/', parts, 0, i + 1), state, out state);
        return result;
    }
}
