using Strata.Build.Engine;
using Strata.Build.FileOps;
using Strata.Build.History;
using Strata.Core;
using Strata.Dockerfile.Instructions;

namespace Strata.Build.Steps;

/// <summary>
/// ADD with at least one http(s) URL source (local sources of the same ADD come from the
/// context). Each URL is downloaded once per stage (<see cref="RemoteSources"/>: the cache key
/// holds the same content digest: the <c>--checksum</c> when given, else what a conditional
/// fetch returned) and copied as a file, never extracted. A checksum mismatch fails the step
/// before anything is written.
/// </summary>
internal sealed class AddUrlStep : IStepExecutor
{
    private readonly AddInstruction _add;

    public AddUrlStep(AddInstruction add) => _add = add;

    public async Task<StageState> ExecuteAsync(StageState state, StepScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(scope);
        var add = _add;
        var build = scope.Build;
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
                var download = await scope.Sources.DownloadAsync(url, cancellationToken).ConfigureAwait(false);
                if (expected is { } want && download.Digest != want)
                    throw new DigestMismatchException($"checksum of {url} does not match: expected {want}, got {download.Digest}");
                var name = HttpSource.FileNameOf(url);
                var dir = Path.Combine(staging, names.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Directory.CreateDirectory(dir);
                await scope.Sources.Http.StageAsync(url, download, dir, name, cancellationToken).ConfigureAwait(false);
                names.Add(Path.Combine(Path.GetFileName(dir), name));
            }

            await using var rootfs = await build.Workspace.PrepareAsync(state.Snapshot, state.DiffIds, cancellationToken).ConfigureAwait(false);
            var owner = await StepScope.ChownOwnerAsync(add.Chown, rootfs.Path, cancellationToken).ConfigureAwait(false);
            var workingDir = state.WorkingDirOrRoot;
            if (local.Count > 0)
            {
                await FileCopier.CopyAsync(new CopyRequest
                {
                    SourceRoot = build.Request.ContextDirectory, Ignore = build.Ignore, Sources = local, Destination = add.Destination,
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
            return await scope.CommitAsync(state, rootfs, HistoryText.ForFileStep("ADD", add.Sources, add.Destination), keepEmpty: false, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }
}
