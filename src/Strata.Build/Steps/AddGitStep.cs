using Strata.Build.Engine;
using Strata.Build.FileOps;
using Strata.Build.History;
using Strata.Core;
using Strata.Dockerfile.Instructions;

namespace Strata.Build.Steps;

/// <summary>
/// ADD whose source is a git repository: its tree (or subdir) at the ref's commit is copied into
/// the destination like a context directory (archives stay archives, --exclude applies). The
/// commit is resolved once per stage (<see cref="RemoteSources"/>), so the cache key and the
/// checkout agree; <c>--checksum</c> must be (a prefix of) that commit.
/// </summary>
internal sealed class AddGitStep : IStepExecutor
{
    private readonly AddInstruction _add;

    public AddGitStep(AddInstruction add) => _add = add;

    public async Task<StageState> ExecuteAsync(StageState state, StepScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(scope);
        var add = _add;
        if (add.Sources.Count != 1 || add.Contents.Count > 0)
            throw new InvalidArgumentException($"ADD of a git repository takes it as its only source: {string.Join(' ', add.Sources)}");
        var reference = GitReference.Parse(add.Sources[0]);
        var commit = await scope.Sources.CommitOfAsync(reference, cancellationToken).ConfigureAwait(false);
        if (add.Checksum is { } checksum && !commit.StartsWith(checksum.ToLowerInvariant(), StringComparison.Ordinal))
            throw new DigestMismatchException($"checksum of {reference.Remote} at ref {reference.RefName} does not match: expected commit {checksum}, got {commit}");

        var staging = Directory.CreateTempSubdirectory("strata-add-git-").FullName;
        try
        {
            var tree = Path.Combine(staging, "tree");
            await scope.Sources.Git.CheckoutAsync(reference, commit, tree, add.KeepGitDir, cancellationToken).ConfigureAwait(false);
            var root = tree;
            if (reference.Subdir is { } subdir)
            {
                root = Path.Combine(tree, subdir);
                // A symlink in the path could point outside the checkout: only a real directory is taken.
                var info = new DirectoryInfo(root);
                if (!info.Exists || info.LinkTarget is not null || !Path.GetFullPath(root).StartsWith(tree + "/", StringComparison.Ordinal))
                    throw new NotFoundException($"subdir {subdir} of {reference.Remote} at ref {reference.RefName} ({commit}) is not a directory");
            }

            await using var rootfs = await scope.Build.Workspace.PrepareAsync(state.Snapshot, state.DiffIds, cancellationToken).ConfigureAwait(false);
            var owner = await StepScope.ChownOwnerAsync(add.Chown, rootfs.Path, cancellationToken).ConfigureAwait(false);
            var workingDir = state.WorkingDirOrRoot;
            await FileCopier.CopyAsync(new CopyRequest
            {
                SourceRoot = root, Sources = ["."], Destination = add.Destination,
                WorkingDir = workingDir, Owner = owner, Chmod = add.Chmod, ExtractArchives = false, Excludes = add.Excludes, Keyword = "ADD",
            }, rootfs.Path, cancellationToken).ConfigureAwait(false);
            return await scope.CommitAsync(state, rootfs, HistoryText.ForFileStep("ADD", add.Sources, add.Destination), keepEmpty: false, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }
}
