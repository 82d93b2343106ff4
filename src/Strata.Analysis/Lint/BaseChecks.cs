using Strata.Dockerfile.Instructions;

namespace Strata.Analysis.Lint;

/// <summary>Base image and final-stage rules: latest, untagged, non-slim, root user, ADD of a local file.</summary>
internal static class BaseChecks
{
    /// <summary>Official language images that publish -slim or -alpine variants.</summary>
    private static readonly HashSet<string> FullImages = new(StringComparer.Ordinal)
    {
        "python", "node", "ruby", "golang", "openjdk", "php", "perl", "rust", "debian", "buildpack-deps", "elixir", "haskell", "erlang",
    };

    private static readonly string[] LeanMarks = ["slim", "alpine", "distroless", "minimal", "busybox"];

    private static readonly string[] Archives = [".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".tzst", ".gz", ".bz2", ".xz"];

    public static void Check(LintSession session)
    {
        var definition = session.Definition;
        foreach (var stage in definition.Stages)
        {
            var from = stage.From;
            var baseName = stage.BaseName;
            bool isStage = definition.Stages.Any(s => s.Index < stage.Index && s.Name is not null && string.Equals(s.Name, baseName, StringComparison.OrdinalIgnoreCase));
            if (!isStage && baseName != "scratch" && !baseName.Contains('$', StringComparison.Ordinal))
            {
                var (repository, tag, digest) = Split(baseName);
                if (tag == "latest" && digest is null)
                    session.Add(LintRules.LatestTag, from, baseName, $"{baseName} follows whatever latest is today: pin a version");
                else if (tag is null && digest is null)
                    session.Add(LintRules.UntaggedBase, from, baseName, $"{baseName} has no tag, so it means {baseName}:latest: pin a version");
                var shortName = repository[(repository.LastIndexOf('/') + 1)..];
                bool official = !repository.Contains('/', StringComparison.Ordinal) || repository.StartsWith("library/", StringComparison.Ordinal) || repository.StartsWith("docker.io/library/", StringComparison.Ordinal);
                if (session.Shipping.Contains(stage.Index) && official && FullImages.Contains(shortName) && !LeanMarks.Any(m => (tag ?? "").Contains(m, StringComparison.Ordinal)))
                    session.Add(LintRules.NonSlimBase, from, baseName, $"the shipped stage starts from {baseName}, a full image: use {shortName}:{(tag is null or "latest" ? "" : tag + "-")}slim or -alpine, or build in it and COPY --from into a slim stage");
            }
            foreach (var add in stage.Instructions.OfType<AddInstruction>())
            {
                foreach (var source in add.Sources.Where(s => !s.Contains("://", StringComparison.Ordinal) && !s.StartsWith("git@", StringComparison.Ordinal) && !Archives.Any(a => s.EndsWith(a, StringComparison.OrdinalIgnoreCase))))
                    session.Add(LintRules.AddLocalFile, add, "ADD", $"ADD {source} copies a local file that is not an archive: use COPY");
            }
        }
        if (definition.Stages.Count == 0) return;
        var final = definition.Stages[^1];
        var lastUser = session.Definition.Stages.Where(s => session.Shipping.Contains(s.Index)).OrderBy(s => s.Index)
            .SelectMany(s => s.Instructions).OfType<UserInstruction>().LastOrDefault();
        if (final.BaseName == "scratch") return;
        if (lastUser is null)
            session.Add(LintRules.RunsAsRoot, final.From, null, "the image has no USER, so it runs as root unless the base image sets one: add USER with an unprivileged user");
        else if (lastUser.User.Split(':')[0] is "root" or "0")
            session.Add(LintRules.RunsAsRoot, lastUser, null, $"the last USER is {lastUser.User}: the container runs as root; switch to an unprivileged user at the end");
    }

    /// <summary>REPOSITORY[:TAG][@DIGEST] into its parts (a registry port is not a tag).</summary>
    internal static (string Repository, string? Tag, string? Digest) Split(string reference)
    {
        string? digest = null;
        int at = reference.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0) { digest = reference[(at + 1)..]; reference = reference[..at]; }
        int colon = reference.LastIndexOf(':');
        if (colon > reference.LastIndexOf('/')) return (reference[..colon], reference[(colon + 1)..], digest);
        return (reference, null, digest);
    }
}
