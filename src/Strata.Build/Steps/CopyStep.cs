using Strata.Build.Engine;
using Strata.Build.FileOps;
using Strata.Build.History;
using Strata.Rootfs.Users;
using Strata.Rootfs;

namespace Strata.Build.Steps;

/// <summary>
/// COPY, and ADD of local files: the selected files (from the context, heredocs, a directory
/// context, or a stage's or image's snapshot for --from) are copied into a writable root and
/// committed as the next layer.
/// </summary>
/// <remarks>
/// --link: the files go into an empty root and are committed as a layer of their own (missing
/// destination parents created 0755 as BuildKit's copy makes them, nothing of the parent copied
/// up), then that layer is stacked on the parent for the following steps. The layer does not
/// depend on its parent, so the cache can rebase it onto a new one (<see cref="Cache.LinkInputs"/>);
/// --chown names still resolve against the parent's /etc/passwd.
/// </remarks>
internal sealed class CopyStep : IStepExecutor
{
    private readonly CopyOptions _options;

    public CopyStep(CopyOptions options) => _options = options;

    public async Task<StageState> ExecuteAsync(StageState state, StepScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(scope);
        var build = scope.Build;
        var o = _options;
        bool link = o.Linked;
        IMountedView? view = null;
        string? heredocDir = null;
        try
        {
            string sourceRoot = build.Request.ContextDirectory;
            var ignore = build.Ignore;
            IReadOnlyList<string> names = o.Sources;
            if (o.Contents.Count > 0)
            {
                heredocDir = Directory.CreateTempSubdirectory("strata-heredoc-").FullName;
                foreach (var doc in o.Contents) await File.WriteAllTextAsync(Path.Combine(heredocDir, doc.Name), doc.Content, cancellationToken).ConfigureAwait(false);
                sourceRoot = heredocDir;
                ignore = null;
                names = [.. o.Contents.Select(c => c.Name)];
            }
            else if (build.NamedDirectory(o.From) is { } named)
            {
                // A directory --build-context: its files with its own .dockerignore, owned by root (BuildContext.Named.cs).
                sourceRoot = named.Value;
                ignore = await build.NamedIgnoreAsync(named, cancellationToken).ConfigureAwait(false);
            }
            else if (o.From is not null)
            {
                var snapshot = await build.SourceSnapshotAsync(o.From, cancellationToken).ConfigureAwait(false);
                view = await build.Workspace.ViewAsync(snapshot, cancellationToken).ConfigureAwait(false);
                sourceRoot = view.Path;
                ignore = null;
            }

            await using var rootfs = link
                ? await build.Workspace.PrepareAsync(null, [], cancellationToken).ConfigureAwait(false)
                : await build.Workspace.PrepareAsync(state.Snapshot, state.DiffIds, cancellationToken).ConfigureAwait(false);
            (uint, uint)? owner = o.Chown is null ? null : (link ? await scope.ParentUsersAsync(state, cancellationToken).ConfigureAwait(false) : await UserDatabase.ReadAsync(rootfs.Path, cancellationToken).ConfigureAwait(false)).ResolveChown(o.Chown);
            await FileCopier.CopyAsync(new CopyRequest
            {
                SourceRoot = sourceRoot,
                Ignore = ignore,
                Sources = names,
                Destination = o.Destination,
                WorkingDir = state.WorkingDirOrRoot,
                Owner = owner,
                KeepOwners = view is not null,
                Chmod = o.Chmod,
                ExtractArchives = o.ExtractArchives,
                Parents = o.Parents,
                Excludes = o.Excludes,
                Keyword = o.Keyword,
                Copied = new CopiedBytes(build.Progress, scope.Id),
            }, rootfs.Path, cancellationToken).ConfigureAwait(false);
            var historySources = o.Contents.Count > 0 ? o.Contents.Select(c => "<<" + c.Name).ToList() : o.Sources;
            var createdBy = HistoryText.ForFileStep(o.Keyword, historySources, o.Destination);
            if (link) return await CommitLinkedAsync(state, scope, rootfs, createdBy, cancellationToken).ConfigureAwait(false);
            return await scope.CommitAsync(state, rootfs, createdBy, keepEmpty: false, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (view is not null) await view.DisposeAsync().ConfigureAwait(false);
            if (heredocDir is not null) Directory.Delete(heredocDir, recursive: true);
        }
    }

    /// <summary>A linked copy's root, committed on its own and stacked on the parent.</summary>
    private static async Task<StageState> CommitLinkedAsync(StageState state, StepScope scope, IStepRootfs rootfs, string createdBy, CancellationToken cancellationToken)
    {
        var committed = await rootfs.CommitAsync(scope.WriteOptions, keepEmpty: false, cancellationToken).ConfigureAwait(false);
        scope.Build.CountStep(committed is not null);
        if (committed is null) return state.AddHistory(scope.History(createdBy, empty: true));
        var stacked = await scope.Build.Workspace.StackAsync(state.Snapshot, state.DiffIds, committed.Layer, cancellationToken).ConfigureAwait(false);
        return state.AddLayer(committed.Layer, stacked).AddHistory(scope.History(createdBy, empty: false));
    }
}
