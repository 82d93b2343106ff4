using Strata.Build.Cache;
using Strata.Build.FileOps;
using Strata.Core;
using Strata.Images;

namespace Strata.Build.Context;

/// <summary>
/// Git <c>--build-context</c> values, checked out before the build with the ADD-git code
/// (<see cref="GitSource"/>: the ref fetched again, its commit's tree without .git) into
/// temporary directories the build reads like directory contexts, deleted after it.
/// As in BuildKit, a git context's own .dockerignore does not apply. The cache key comes from
/// the checked-out files like any directory's, so an unchanged tree at a new commit stays cached.
/// </summary>
internal sealed class GitContextCheckouts : IAsyncDisposable
{
    private readonly List<string> _directories = [];

    private GitContextCheckouts(BuildRequest request) => Request = request;

    /// <summary>The request with every git context's value replaced by its checkout directory.</summary>
    public BuildRequest Request { get; private set; }

    public static async Task<GitContextCheckouts> CheckOutAsync(ImageStore store, BuildRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(request);
        var checkouts = new GitContextCheckouts(request);
        if (!request.NamedContexts.Any(c => c.Kind == NamedContextKind.Git)) return checkouts;
        try
        {
            var git = new GitSource(store.Layout.GitCache);
            var resolved = new List<NamedContext>();
            foreach (var context in request.NamedContexts)
            {
                if (context.Kind != NamedContextKind.Git) { resolved.Add(context); continue; }
                var staging = Directory.CreateTempSubdirectory("strata-git-context-").FullName;
                checkouts._directories.Add(staging);
                resolved.Add(context with { Value = await CheckOutOneAsync(git, context, staging, cancellationToken).ConfigureAwait(false) });
            }
            checkouts.Request = request with { NamedContexts = resolved };
            return checkouts;
        }
        catch
        {
            await checkouts.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<string> CheckOutOneAsync(GitSource git, NamedContext context, string staging, CancellationToken cancellationToken)
    {
        var reference = GitReference.Parse(context.Value);
        var tree = Path.Combine(staging, "tree");
        try
        {
            var commit = await git.ResolveAsync(reference, cancellationToken).ConfigureAwait(false);
            await git.CheckoutAsync(reference, commit, tree, keepGitDir: false, cancellationToken).ConfigureAwait(false);
            if (reference.Subdir is not { } subdir) return tree;
            // A symlink in the path could point outside the checkout: only a real directory is taken.
            var root = Path.GetFullPath(Path.Combine(tree, subdir));
            var info = new DirectoryInfo(root);
            if (!info.Exists || info.LinkTarget is not null || !root.StartsWith(tree + "/", StringComparison.Ordinal))
                throw new NotFoundException($"subdir {subdir} of {reference.Remote} at ref {reference.RefName} ({commit}) is not a directory");
            return root;
        }
        catch (StrataException ex)
        {
            throw new InvalidArgumentException($"--build-context \"{context.Flag}\": {ex.Message}", ex);
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var dir in _directories)
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        _directories.Clear();
        return ValueTask.CompletedTask;
    }
}
