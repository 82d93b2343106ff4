using System.Collections.Concurrent;
using Strata.Build.Cache;
using Strata.Build.FileOps;

namespace Strata.Build.Steps;

/// <summary>
/// One stage's ADD sources that live elsewhere: each URL is fetched and each git ref resolved at
/// most once per stage, because the cache key (step inputs) and the step itself both need the
/// same answer; a second fetch could see another version between the key and the copy.
/// </summary>
internal sealed class RemoteSources
{
    private readonly ConcurrentDictionary<string, HttpDownload> _downloads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _gitCommits = new(StringComparer.Ordinal);

    public RemoteSources(Images.ImageStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        Http = new HttpSource(store.Layout.HttpCache);
        Git = new GitSource(store.Layout.GitCache);
    }

    public HttpSource Http { get; }

    public GitSource Git { get; }

    /// <summary>The download of <paramref name="url"/> (a conditional fetch the first time in this stage).</summary>
    public async Task<HttpDownload> DownloadAsync(string url, CancellationToken cancellationToken)
    {
        if (_downloads.TryGetValue(url, out var known)) return known;
        var download = await Http.FetchAsync(url, cancellationToken).ConfigureAwait(false);
        _downloads[url] = download;
        return download;
    }

    /// <summary>The commit <paramref name="reference"/>'s ref points at (fetched the first time in this stage).</summary>
    public async Task<string> CommitOfAsync(GitReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (_gitCommits.TryGetValue(reference.Source, out var known)) return known;
        var commit = await Git.ResolveAsync(reference, cancellationToken).ConfigureAwait(false);
        _gitCommits[reference.Source] = commit;
        return commit;
    }
}
