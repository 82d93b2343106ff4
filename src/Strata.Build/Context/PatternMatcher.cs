using Strata.Core;

namespace Strata.Build.Context;

/// <summary>
/// docker's .dockerignore matching (moby/patternmatcher): patterns apply in order, a later
/// <c>!pattern</c> re-includes what an earlier one excluded, and a path is excluded when it or
/// one of its parent directories matches. Malformed patterns are errors.
/// </summary>
public sealed class PatternMatcher
{
    private readonly List<IgnorePattern> _patterns = [];

    public PatternMatcher(IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        foreach (var raw in patterns)
        {
            var p = raw.Trim();
            if (p.Length == 0) continue;
            p = GoPath.Clean(p);
            bool exclusion = false;
            if (p[0] == '!')
            {
                if (p.Length == 1) throw new InvalidArgumentException("illegal exclusion pattern: \"!\"");
                exclusion = true;
                p = p[1..];
                HasExclusions = true;
            }
            if (!GoGlob.IsValid(p)) throw new InvalidArgumentException($"syntax error in pattern \"{raw}\"");
            _patterns.Add(new IgnorePattern(p, exclusion));
        }
    }

    /// <summary>True when some pattern re-includes (<c>!</c>): then excluded directories must still be walked.</summary>
    public bool HasExclusions { get; }

    public int Count => _patterns.Count;

    /// <summary>Whether <paramref name="path"/> (slash-separated, relative to the context) is excluded, checking every parent directory.</summary>
    public bool MatchesOrParentMatches(string path) => Evaluate(path, AnyParentMatches);

    /// <summary>
    /// For tree walks: whether <paramref name="path"/> is excluded, given whether its parent
    /// directory was. Without <c>!</c> patterns a path is excluded exactly when its parent is or a
    /// pattern matches the path itself, so each pattern is tested once per entry instead of once
    /// per entry and parent; with them the full evaluation runs.
    /// </summary>
    public bool MatchesInWalk(string path, bool parentMatched)
    {
        if (HasExclusions) return MatchesOrParentMatches(path);
        if (parentMatched) return true;
        foreach (var pattern in _patterns)
            if (pattern.Match(path)) return true;
        return false;
    }

    /// <summary>
    /// docker's older <c>Matches</c>: like <see cref="MatchesOrParentMatches"/> but checks only the
    /// parent prefix as long as the pattern. Kept because docker's Go-derived tables pin it.
    /// </summary>
    public bool Matches(string path) => Evaluate(path, static (pattern, parentDirs) =>
        pattern.Dirs.Length <= parentDirs.Length && pattern.Match(string.Join('/', parentDirs, 0, pattern.Dirs.Length)));

    // Patterns apply in order; an inclusion is tested only while unmatched, an exclusion only while matched.
    private bool Evaluate(string path, Func<IgnorePattern, string[], bool> parentMatches)
    {
        ArgumentNullException.ThrowIfNull(path);
        bool matched = false;
        var parent = GoPath.Dir(path);
        var parentDirs = parent.Split('/');
        foreach (var pattern in _patterns)
        {
            if (pattern.Exclusion != matched) continue;
            if (pattern.Match(path) || (parent != "." && parentMatches(pattern, parentDirs))) matched = !pattern.Exclusion;
        }
        return matched;
    }

    private static bool AnyParentMatches(IgnorePattern pattern, string[] parentDirs)
    {
        for (int i = 0; i < parentDirs.Length; i++)
            if (pattern.Match(string.Join('/', parentDirs, 0, i + 1))) return true;
        return false;
    }

    /// <summary>
    /// Incremental form for tree walks: <paramref name="parent"/> is what this returned for the
    /// parent directory (empty for a top-level entry), so each pattern is tested once per path.
    /// </summary>
    public bool MatchesUsingParentResults(string path, MatchState parent, out MatchState state)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(parent);
        var results = new bool[_patterns.Count];
        bool matched = false;
        bool haveParent = parent.Results.Count == _patterns.Count && _patterns.Count > 0;
        for (int i = 0; i < _patterns.Count; i++)
        {
            var pattern = _patterns[i];
            bool match = haveParent && parent.Results[i];
            if (!match)
            {
                if (pattern.Exclusion != matched) continue;
                match = pattern.Match(path);
                if (!match && !haveParent)
                {
                    var dir = GoPath.Dir(path);
                    if (dir != ".") match = AnyParentMatches(pattern, dir.Split('/'));
                }
            }
            results[i] = match;
            if (match) matched = !pattern.Exclusion;
        }
        state = new MatchState(results);
        return matched;
    }
}
