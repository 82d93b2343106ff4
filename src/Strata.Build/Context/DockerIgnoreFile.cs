using System.Text;

namespace Strata.Build.Context;

/// <summary>
/// Reads a .dockerignore as BuildKit does: comment lines (<c>#</c> first) and blank lines
/// dropped, white space trimmed, each pattern cleaned and made relative (a leading <c>/</c>
/// removed), <c>! pattern</c> written <c>!pattern</c>; order kept.
/// </summary>
public static class DockerIgnoreFile
{
    public static IReadOnlyList<string> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var patterns = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#')) continue;
            var pattern = line.Trim();
            if (pattern.Length == 0) continue;
            bool invert = pattern[0] == '!';
            if (invert) pattern = pattern[1..].Trim();
            if (pattern.Length > 0)
            {
                pattern = GoPath.Clean(pattern);
                if (pattern.Length > 1 && pattern[0] == '/') pattern = pattern[1..];
            }
            patterns.Add(invert ? "!" + pattern : pattern);
        }
        return patterns;
    }

    /// <summary>
    /// The ignore file for a build: <c>&lt;Dockerfile&gt;.dockerignore</c> beside the Dockerfile wins over
    /// the context's <c>.dockerignore</c>; none gives no patterns.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ReadForBuildAsync(string contextDir, string? dockerfilePath, CancellationToken cancellationToken)
    {
        if (dockerfilePath is not null)
        {
            var specific = dockerfilePath + ".dockerignore";
            if (File.Exists(specific)) return Parse(await File.ReadAllTextAsync(specific, Encoding.UTF8, cancellationToken).ConfigureAwait(false));
        }
        var general = Path.Combine(contextDir, ".dockerignore");
        return File.Exists(general) ? Parse(await File.ReadAllTextAsync(general, Encoding.UTF8, cancellationToken).ConfigureAwait(false)) : [];
    }
}
