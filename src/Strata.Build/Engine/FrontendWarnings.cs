using System.Text;
using Strata.Build.Progress;
using Strata.Dockerfile;

namespace Strata.Build.Engine;

/// <summary>Turns the front end's lint findings into <see cref="BuildWarning"/>s, with BuildKit's documentation link for its rules.</summary>
internal static class FrontendWarnings
{
    // Strata's own findings have no page under BuildKit's rule documentation.
    private static readonly HashSet<string> StrataRules = new(StringComparer.Ordinal) { "UnsupportedFrontend", "UnusedBuildArg" };

    public static BuildWarning From(DockerfileWarning warning, string fileName, string source) =>
        new(warning.Rule, warning.Message, fileName, warning.Line)
        {
            Source = source,
            Url = StrataRules.Contains(warning.Rule) ? null : $"https://docs.docker.com/go/dockerfile/rule/{Kebab(warning.Rule)}/",
        };

    /// <summary>BuildKit's page names: <c>JSONArgsRecommended</c> -> <c>json-args-recommended</c>.</summary>
    internal static string Kebab(string rule)
    {
        var sb = new StringBuilder(rule.Length + 4);
        for (int i = 0; i < rule.Length; i++)
        {
            char c = rule[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(rule[i - 1]) || (i + 1 < rule.Length && char.IsLower(rule[i + 1]) && char.IsUpper(rule[i - 1]))))
                sb.Append('-');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
