using System.Collections.Concurrent;
using Strata.Build.Cache;
using Strata.Build.FileOps;
using Strata.Build.History;
using Strata.Core;
using Strata.Dockerfile.Instructions;
using Strata.Rootfs.Users;

namespace Strata.Build.Engine;

/// <summary>
/// ADD of http(s) URLs (kept apart from the COPY code). The cache key holds each URL's content
/// digest: the <c>--checksum</c> when given (a hit downloads nothing), else the digest of what a
/// conditional fetch returned (a 304 reuses the remembered download). A checksum mismatch fails
/// the step before anything is written.
/// </summary>
internal sealed partial class StageBuilder
{
    private readonly ConcurrentDictionary<string, HttpDownload> _downloads = new(StringComparer.Ordinal);

    private HttpSource Http => new(_build.Store.Layout.HttpCache);

    /// <summary>The cache inputs of an ADD's URLs: one entry per URL with its content digest.</summary>
    private async Task<List<SourceFile>> UrlSourceFilesAsync(AddInstruction add, CancellationToken cancellationToken)
    {
        var files = new List<SourceFile>();
        foreach (var url in add.Sources.Where(s => HttpSource.IsUrl(s) && !GitReference.IsGitSource(s)))
        {
            string digest;
            if (add.Checksum is { } checksum) digest = HttpSource.ParseChecksum(checksum).Encoded;
            else digest = (await DownloadAsync(url, cancellationToken).ConfigureAwait(false)).Digest.Encoded;
            files.Add(new SourceFile(url, "url", 0x180, 0, 0, 0, digest, null));
        }
        return files;
    }

    private async Task<HttpDownload> DownloadAsync(string url, CancellationToken cancellationToken)
    {
        if (_downloads.TryGetValue(url, out var known)) return known;
        var download = await Http.FetchAsync(url, cancellationToken).ConfigureAwait(false);
        _downloads[url] = download;
        return download;
    }

    /// <summary>ADD with at least one URL source (local sources of the same ADD come from the context).</summary>
    private async Task<StageState> AddUrlsAsync(StageState state, AddInstruction add, CancellationToken cancellationToken)
    {
        var urls = add.Sources.Where(HttpSource.IsUrl).ToList();
        var local = add.Sources.Where(s => !HttpSource.IsUrl(s)).ToList();
        if (add.Sources.Count > 1 && !add.Destination.EndsWith('/'))
            throw new InvalidArgumentException($"when using ADD with more than one source file, the destination must be a directory and end with a /: {add.Destination}");
        var expected = add.Checksum is { } c ? HttpSource.ParseChecksum(c) : (Digest?)null;
        if (expected is not null && add.Sources.Count != 1)
            throw new InvalidArgumentException("--checksum needs exactly one source URL");

        var staging = Directory.CreateTempSubdirectory("strata-add-url-").FullName;
        try
        {
            var names = new List<string>();
            foreach (var url in urls)
            {
                var download = await DownloadAsync(url, cancellationToken).ConfigureAwait(false);
                if (expected is { } want && download.Digest != want)
                    throw new DigestMismatchException($"checksum of {url} does not match: expected {want}, got {download.Digest}");
                var name = HttpSource.FileNameOf(url);
                var dir = Path.Combine(staging, names.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Directory.CreateDirectory(dir);
                await Http.StageAsync(url, download, dir, name, cancellationToken).ConfigureAwait(false);
                names.Add(Path.Combine(Path.GetFileName(dir), name));
            }

            await using var rootfs = await _build.Workspace.PrepareAsync(state.Snapshot, state.DiffIds, cancellationToken).ConfigureAwait(false);
            var owner = await ChownOwnerAsync(add.Chown, rootfs.Path, cancellationToken).ConfigureAwait(false);
            var workingDir = state.WorkingDirOrRoot;
            if (local.Count > 0)
            {
                await FileCopier.CopyAsync(new CopyRequest
                {
                    SourceRoot = _build.Request.ContextDirectory, Ignore = _build.Ignore, Sources = local, Destination = add.Destination,
                    WorkingDir = workingDir, Owner = owner, Chmod = add.Chmod, ExtractArchives = true, Excludes = add.Excludes, Keyword = "ADD",
                }, rootfs.Path, cancellationToken).ConfigureAwait(false);
            }
            // One copy per URL: a downloaded archive is never extracted.
            foreach (var name in names)
            {
                await FileCopier.CopyAsync(new CopyRequest
                {
                    SourceRoot = staging, Sources = [name], Destination = add.Destination,
                    WorkingDir = workingDir, Owner = owner, Chmod = add.Chmod, ExtractArchives = false, Keyword = "ADD",
                }, rootfs.Path, cancellationToken).ConfigureAwait(false);
            }
            return await CommitAsync(state, rootfs, HistoryText.ForFileStep("ADD", add.Sources, add.Destination), keepEmpty: false, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }
}
