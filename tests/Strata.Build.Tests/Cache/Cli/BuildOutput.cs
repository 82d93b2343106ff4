using System.Text.RegularExpressions;

namespace Strata.Build.Tests.Cache.Cli;

/// <summary>
/// What one <c>strata build --progress=plain</c> printed, read back: each step as
/// "[stage i/n] INSTRUCTION: CACHED" or ": MISS reason", and the image ID.
/// </summary>
internal sealed partial record BuildOutput(int ExitCode, string ImageId, string Stderr)
{
    /// <summary>Every step except FROM, in order, with its outcome.</summary>
    public IReadOnlyList<string> Steps
    {
        get
        {
            var names = new SortedDictionary<int, string>();
            var outcome = new Dictionary<int, string>();
            foreach (var line in Stderr.Split('\n'))
            {
                var m = StepLine().Match(line);
                if (!m.Success) continue;
                int id = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                var rest = m.Groups[2].Value;
                if (rest.StartsWith('[')) names.TryAdd(id, rest);
                else if (rest == "CACHED") outcome[id] = "CACHED";
                else if (rest.StartsWith("CACHE MISS: ", StringComparison.Ordinal)) outcome[id] = "MISS " + rest["CACHE MISS: ".Length..];
            }
            return [.. names.Where(n => !n.Value.Contains("] FROM ", StringComparison.Ordinal)).Select(n => $"{n.Value}: {outcome.GetValueOrDefault(n.Key, "?")}")];
        }
    }

    [GeneratedRegex(@"^#(\d+) (.*)$")]
    private static partial Regex StepLine();
}
