using System.Collections.Concurrent;
using Strata.Build.Cache;
using Strata.Build.FileOps;
using Strata.Build.History;
using Strata.Core;
using Strata.Dockerfile.Instructions;
using Strata.Rootfs.Users;

namespace Strata.Build.Engine;

/// <summary>
/// ADD of git repositories (kept apart from the COPY code). The cache key holds each source's
/// commit hash, resolved by fetching the ref once per build, so a branch that moved re-runs the
/// step and one that did not is a hit; subdir, <c>--keep-git-dir</c>, dest, chown and chmod are in
/// the instruction's definition. <c>--checksum</c> must be (a prefix of) that commit.
/// </summary>
internal sealed partial class StageBuilder
{
    private readonly ConcurrentDictionary<string, string> _gitCommits = new(StringComparer.Ordinal);

    private GitSource Git => new(_build.Store.Layout.GitCache);

    /// <summary>The cache inputs of an ADD's git sources: one entry per source with its commit.</summary>
    private async Task<List<SourceFile>> GitSourceFilesAsync(AddInstruction add, CancellationToken cancellationToken)
    {
        var files = new List<SourceFile>();
        foreach (var source in add.Sources.Where(GitReference.IsGitSource))
            files.Add(new SourceFile(source, "git", 0x1ED, 0, 0, 0, await CommitOfAsync(GitReference.Parse(source), cancellationToken).ConfigureAwait(false), null));
        return files;
    }

    private async Task<string> CommitOfAsync(GitReference reference, CancellationToken cancellationToken)
    {
        if (_gitCommits.TryGetValue(reference.Source, out var known)) return known;
        var commit = await Git.ResolveAsync(reference, cancellationToken).ConfigureAwait(false);
        _gitCommits[reference.Source] = commit;
        return commit;
    }

    /// <summary>ADD whose source is a git repository: its tree (or subdir) is copied into the destination like a context directory (archives stay archives, --exclude applies).</summary>
    private async Task<StageState> AddGitAsync(StageState state, AddInstruction add, CancellationToken cancellationToken)
    {
        if (add.Sources.Count != 1 || add.Contents.Count > 0)
            throw new InvalidArgumentException($"ADD of a git repository takes it as its only source: {string.Join(' ', add.Sources)}");
        var reference = GitReference.Parse(add.Sources[0]);
        var commit = await CommitOfAsync(reference, cancellationToken).ConfigureAwait(false);
        if (add.Checksum is { } checksum && !commit.StartsWith(checksum.ToLowerInvariant(), StringComparison.Ordinal))
            throw new DigestMismatchException($"checksum of {reference.Remote} at ref {reference.RefName} does not match: expected commit {checksum}, got {commit}");

        var staging = Directory.CreateTempSubdirectory("strata-add-git-").FullName;
        try
        {
            var tree = Path.Combine(staging, "tree");
            await Git.CheckoutAsync(reference, commit, tree, add.KeepGitDir, cancellationToken).ConfigureAwait(false);
            var root = tree;
            if (reference.Subdir is { } subdir)
            {
                root = Path.Combine(tree, subdir);
                // A symlink in the path could point outside the checkout: only a real directory is taken.
                var info = new DirectoryInfo(root);
                if (!info.Exists || info.LinkTarget is not null || !Path.GetFullPath(root).StartsWith(tree + "/", StringComparison.Ordinal))
                    throw new NotFoundException($"subdir {subdir} of {reference.Remote} at ref {reference.RefName} ({commit}) is not a directory");
            }

            await using var rootfs = await _build.Workspace.PrepareAsync(state.Snapshot, state.DiffIds, cancellationToken).ConfigureAwait(false);
            var owner = await ChownOwnerAsync(add.Chown, rootfs.Path, cancellationToken).ConfigureAwait(false);
            var workingDir = state.WorkingDirOrRoot;
            await FileCopier.CopyAsync(new CopyRequest
            {
                SourceRoot = root, Sources = ["."], Destination = add.Destination,
                WorkingDir = workingDir, Owner = owner, Chmod = add.Chmod, ExtractArchives = false, Excludes = add.Excludes, Keyword = "ADD",
            }, rootfs.Path, cancellationToken).ConfigureAwait(false);
            return await CommitAsync(state, rootfs, HistoryText.ForFileStep("ADD", add.Sources, add.Destination), keepEmpty: false, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }
}
