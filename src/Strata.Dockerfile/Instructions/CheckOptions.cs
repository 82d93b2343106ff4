namespace Strata.Dockerfile.Instructions;

/// <summary>
/// The <c># check=skip=Rule1,Rule2;error=true</c> directive: which lint rules to drop
/// (<c>skip=all</c> drops all) and whether remaining warnings should fail the build.
/// </summary>
public sealed record CheckOptions(IReadOnlySet<string> Skip, bool SkipAll, bool Error)
{
    public static CheckOptions None { get; } = new(new HashSet<string>(), false, false);

    public static CheckOptions Parse(string? directive)
    {
        if (string.IsNullOrWhiteSpace(directive)) return None;
        var skip = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        bool all = false, error = false;
        foreach (var part in directive.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0) throw new DockerfileException($"invalid check directive \"{directive}\": expected key=value");
            var key = part[..eq].Trim().ToLowerInvariant();
            var value = part[(eq + 1)..].Trim();
            switch (key)
            {
                case "skip":
                    foreach (var rule in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (rule.Equals("all", StringComparison.OrdinalIgnoreCase)) all = true;
                        else skip.Add(rule);
                    }
                    break;
                case "error":
                    error = value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1";
                    break;
                default:
                    throw new DockerfileException($"invalid check directive \"{directive}\": unknown key \"{key}\" (use skip or error)");
            }
        }
        return new CheckOptions(skip, all, error);
    }

    /// <summary>True when a warning of this rule is reported.</summary>
    public bool Reports(string rule) => !SkipAll && !Skip.Contains(rule);
}
