using System.Globalization;
using System.Text;

namespace Strata.Analysis.Image;

/// <summary>Every rule <c>strata analyze</c> can report, in the README's order (the SARIF driver lists them all).</summary>
public static class AnalysisRules
{
    internal const string ConfigSecretFix = "do not put secrets in ENV, LABEL or build args (they are stored in the image config and history): use RUN --mount=type=secret, or pass them at run time";

    public static IReadOnlyList<AnalysisRule> All { get; } =
    [
        new("deleted-files", "DeletedFiles", "waste", "warning",
            "Files added by one layer and deleted by a later one still ship in the lower layer: deleting them saves nothing.",
            "remove files in the same RUN that creates them, or make them in a build stage and COPY --from only what the image needs"),
        new("overwritten-files", "OverwrittenFiles", "waste", "warning",
            "Files replaced by a later layer ship twice: the lower copy is never seen but still downloaded and stored.",
            "write the final version once: do both in one RUN, or produce the files in a build stage"),
        new("metadata-copy-up", "MetadataCopyUp", "copy-up", "warning",
            "A later layer stores whole files again with the same content, only to change mode, owner or time (chmod, chown, touch).",
            "set mode and owner when the files are added (COPY --chmod=... --chown=...), or chmod/chown in the same RUN that creates them"),
        new("big-file-copy-up", "BigFileCopyUp", "copy-up", "warning",
            "A big file changed by a later layer is copied up whole: appending one byte stores the entire file again.",
            "change the file in the step that adds it (one RUN), or build the final file in a build stage and COPY it once"),
        new("package-cache", "PackageCache", "cache", "warning",
            "A package manager's cache (apt lists and archives, apk, dnf/yum, pip, npm, yarn, go, NuGet) is left in a layer.",
            "clean the cache in the same RUN as the install, or keep it out of the layer with RUN --mount=type=cache"),
        .. SecretRules.Content.Select(r => Secret(r, $"A {r.Title} found in a layer's files, in history created_by, or in an ENV or LABEL value.")),
        .. SecretRules.Files.Select(r => Secret(r, $"A {r.Title} found in a layer, whether or not a later layer deleted it.")),
        Secret(SecretRules.EnvName, "A NAME=value whose name says secret (PASSWORD, TOKEN, API_KEY...) in ENV, LABEL or the build args a RUN's history records."),
    ];

    public static AnalysisRule? Find(string id) => All.FirstOrDefault(r => r.Id == id);

    private static AnalysisRule Secret(SecretRule rule, string summary) =>
        new(rule.Id, Pascal(rule.Id), "secret", "error", summary, ImageAnalyzer.SecretFix);

    /// <summary><c>secret-github-token</c> -> <c>SecretGithubToken</c>.</summary>
    private static string Pascal(string id)
    {
        var sb = new StringBuilder();
        foreach (var word in id.Split('-', StringSplitOptions.RemoveEmptyEntries))
            sb.Append(char.ToUpper(word[0], CultureInfo.InvariantCulture)).Append(word.AsSpan(1));
        return sb.ToString();
    }
}
