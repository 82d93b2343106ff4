namespace Strata.Analysis.Lint;

/// <summary>
/// What lint knows about the build context directory, read once by <see cref="Read"/>: whether a
/// .dockerignore applies, which heavy top-level entries it holds, and file sizes on demand. The
/// Dockerfile front end stays pure; the disk is read here.
/// </summary>
public sealed class LintContext
{
    /// <summary>Entries that should almost never be sent to a build: dependencies, VCS data, build output.</summary>
    private static readonly string[] Heavy = ["node_modules", ".git", "dist", "build", "target", "out", "bin", "obj", ".venv", "venv", "__pycache__", "coverage", ".next"];

    private readonly string _root;

    private LintContext(string root, bool hasDockerignore, IReadOnlyList<string> heavyEntries)
    {
        _root = root;
        HasDockerignore = hasDockerignore;
        HeavyEntries = heavyEntries;
    }

    public bool HasDockerignore { get; }

    /// <summary>Top-level directories of <see cref="Heavy"/> that exist, in that order.</summary>
    public IReadOnlyList<string> HeavyEntries { get; }

    /// <summary>
    /// Reads <paramref name="directory"/>. As BuildKit, a <c>&lt;Dockerfile&gt;.dockerignore</c>
    /// beside the Dockerfile replaces the context's <c>.dockerignore</c>.
    /// </summary>
    public static LintContext Read(string directory, string? dockerfilePath)
    {
        var root = Path.GetFullPath(directory);
        if (!Directory.Exists(root)) throw new Core.NotFoundException($"build context not found: {directory}");
        bool ignore = File.Exists(Path.Combine(root, ".dockerignore"))
            || (dockerfilePath is not null && File.Exists(dockerfilePath + ".dockerignore"));
        var heavy = Heavy.Where(h => Directory.Exists(Path.Combine(root, h))).ToList();
        return new LintContext(root, ignore, heavy);
    }

    /// <summary>The size of a regular file in the context, or null when it is not one (missing, a glob, outside the context).</summary>
    public long? SizeOf(string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(_root, relativePath.TrimStart('/')));
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return null;
        var info = new FileInfo(full);
        return info.Exists && info.LinkTarget is null ? info.Length : null;
    }
}
