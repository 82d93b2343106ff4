using System.Globalization;
using System.Text;
using Strata.Build.Cache;
using Strata.Build.FileOps;
using Strata.Build.Steps;
using Strata.Core;
using Strata.Rootfs.Users;
using Strata.Dockerfile.Expansion;
using Strata.Dockerfile.Instructions;

namespace Strata.Build.Engine;

/// <summary>
/// Reads what a step's result depends on (<see cref="StepInputs"/>): the expanded instruction,
/// RUN's environment, the checksums of the files COPY/ADD and RUN bind mounts select (from the
/// context, a named context or a stage's snapshot), ADD's URL digests and git commits; and for a
/// --link step what its layer takes from the parent (<see cref="LinkInputs"/>).
/// </summary>
internal sealed class StepInputsReader
{
    private readonly BuildContext _build;
    private readonly ExpandedStage _stage;
    private readonly RemoteSources _sources;

    public StepInputsReader(BuildContext build, ExpandedStage stage, RemoteSources sources)
    {
        _build = build;
        _stage = stage;
        _sources = sources;
    }

    /// <summary>The inputs of <paramref name="step"/>, the <paramref name="number"/>th of its stage, chained on <paramref name="chain"/>.</summary>
    public async Task<StepInputs> ReadAsync(StageState state, ExpandedStep step, CacheChain chain, int number, CancellationToken cancellationToken)
    {
        var instruction = step.Instruction;
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        List<SourceFile> files = [];
        switch (instruction)
        {
            case RunInstruction run:
                foreach (var entry in RunEnvironment.Of(state.Container, step.RunEnvironment, _build.Request.BuildArgs))
                {
                    var parts = entry.Split('=', 2);
                    args[parts[0]] = parts.Length > 1 ? parts[1] : "";
                }
                // A bind mount's files (and a cache mount's from= seed) are read by the step like
                // COPY's; secret values and cache contents are not inputs, only their ids are.
                foreach (var bind in run.Mounts.Where(m => m.Type == MountType.Bind || (m.Type == MountType.Cache && m.From is not null)))
                {
                    var selected = await SourceFilesAsync([bind.Source ?? "/"], [], bind.From, [], cancellationToken).ConfigureAwait(false);
                    files.AddRange(selected.Select(f => bind.From is null ? f : f with { Path = bind.From + ":" + f.Path }));
                }
                files = [.. files.DistinctBy(f => f.Path).OrderBy(f => f.Path, StringComparer.Ordinal)];
                break;
            case CopyInstruction copy:
                files = await SourceFilesAsync(copy.Sources, copy.Contents, copy.From, copy.Excludes, cancellationToken).ConfigureAwait(false);
                break;
            case AddInstruction add:
                files = await SourceFilesAsync([.. add.Sources.Where(s => !s.Contains("://", StringComparison.Ordinal) && !s.StartsWith("git@", StringComparison.Ordinal))],
                    add.Contents, null, add.Excludes, cancellationToken).ConfigureAwait(false);
                files.AddRange(await UrlSourceFilesAsync(add, cancellationToken).ConfigureAwait(false));
                files.AddRange(await GitSourceFilesAsync(add, cancellationToken).ConfigureAwait(false));
                break;
        }
        // SOURCE_DATE_EPOCH changes every layer's timestamps and history: it is an input of every step.
        if (_build.Request.SourceDateEpoch is { } epoch)
            args.TryAdd("SOURCE_DATE_EPOCH", epoch.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        return new StepInputs
        {
            Step = number,
            Parent = chain.Key.ToString(),
            Base = chain.Base,
            BaseName = _stage.Stage.BaseName,
            Instruction = instruction.Original,
            Definition = Definition(instruction),
            // The platform the step runs as (its stage's), so a native stage's steps match across platforms.
            Platform = _build.PlatformOf(_stage).ToString(),
            Args = args,
            RunOptions = instruction is RunInstruction ? _build.Request.Run.CacheText() : null,
            Files = files,
        };
    }

    /// <summary>What a linked step's layer takes from its parent (null: the step is not linked).</summary>
    public static async Task<LinkInputs?> ReadLinkAsync(StageState state, Instruction instruction, StepScope scope, CancellationToken cancellationToken)
    {
        if (!StepExecutors.IsLinked(instruction)) return null;
        var (destination, chown) = instruction switch
        {
            CopyInstruction copy => (copy.Destination, copy.Chown),
            AddInstruction add => (add.Destination, add.Chown),
            _ => ("/", null),
        };
        string? workdir = destination.StartsWith('/') ? null : state.WorkingDirOrRoot;
        string? owner = null;
        if (chown is not null)
        {
            // Numeric ids need no lookup; names resolve in the parent, as the copy resolves them.
            var numeric = chown.Split(':').All(p => p.Length > 0 && p.All(char.IsAsciiDigit));
            var users = numeric ? UserDatabase.Empty : await scope.ParentUsersAsync(state, cancellationToken).ConfigureAwait(false);
            var (uid, gid) = users.ResolveChown(chown);
            owner = uid.ToString(CultureInfo.InvariantCulture) + ":" + gid.ToString(CultureInfo.InvariantCulture);
        }
        return new LinkInputs(workdir, owner);
    }

    /// <summary>The expanded instruction with its flags; where it sits in the file is not part of it, so adding a comment line keeps the cache.</summary>
    private static string Definition(Instruction instruction) => InstructionDefinition.Of(instruction);

    /// <summary>The cache inputs of an ADD's URLs: one entry per URL with its content digest (the --checksum when given: a hit downloads nothing).</summary>
    private async Task<List<SourceFile>> UrlSourceFilesAsync(AddInstruction add, CancellationToken cancellationToken)
    {
        var files = new List<SourceFile>();
        foreach (var url in add.Sources.Where(s => HttpSource.IsUrl(s) && !GitReference.IsGitSource(s)))
        {
            string digest;
            if (add.Checksum is { } checksum) digest = HttpSource.ParseChecksum(checksum).Encoded;
            else digest = (await _sources.DownloadAsync(url, cancellationToken).ConfigureAwait(false)).Digest.Encoded;
            files.Add(new SourceFile(url, "url", 0x180, 0, 0, 0, digest, null));
        }
        return files;
    }

    /// <summary>The cache inputs of an ADD's git sources: one entry per source with its commit, so a branch that moved re-runs the step.</summary>
    private async Task<List<SourceFile>> GitSourceFilesAsync(AddInstruction add, CancellationToken cancellationToken)
    {
        var files = new List<SourceFile>();
        foreach (var source in add.Sources.Where(GitReference.IsGitSource))
            files.Add(new SourceFile(source, "git", 0x1ED, 0, 0, 0, await _sources.CommitOfAsync(GitReference.Parse(source), cancellationToken).ConfigureAwait(false), null));
        return files;
    }

    private async Task<List<SourceFile>> SourceFilesAsync(IReadOnlyList<string> sources, IReadOnlyList<HeredocSource> contents, string? from, IReadOnlyList<string> excludes, CancellationToken cancellationToken)
    {
        if (contents.Count > 0)
            return [.. contents.Select(c => new SourceFile("<<" + c.Name, "heredoc", 0, 0, 0, c.Content.Length, Digest.Compute(Encoding.UTF8.GetBytes(c.Content)).Encoded, null))];
        if (_build.NamedDirectory(from) is { } named)
        {
            // A directory --build-context is hashed like the main context (no owners: they become
            // root's), with its own stat index; a git checkout's temporary directory keeps none.
            var namedIgnore = await _build.NamedIgnoreAsync(named, cancellationToken).ConfigureAwait(false);
            if (named.Kind != Context.NamedContextKind.Directory) return await SourceHasher.HashAsync(named.Value, namedIgnore, sources, excludes, withOwners: false, null, cancellationToken).ConfigureAwait(false);
            var namedIndex = Task.Run(() => _build.Cache.StatIndexAsync(named.Value, cancellationToken), cancellationToken);
            return await SourceHasher.HashLoadingIndexAsync(named.Value, namedIgnore, sources, excludes, withOwners: false, namedIndex, cancellationToken).ConfigureAwait(false);
        }
        if (from is null)
        {
            var root = _build.Request.ContextDirectory;
            // The stat index loads from SQLite on another thread while the context is walked.
            var index = Task.Run(() => _build.Cache.StatIndexAsync(root, cancellationToken), cancellationToken);
            return await SourceHasher.HashLoadingIndexAsync(root, _build.Ignore, sources, excludes, withOwners: false, index, cancellationToken).ConfigureAwait(false);
        }
        // COPY --from depends on the copied files, not on how the stage got them: a stage that
        // rebuilds to byte-identical output keeps this step cached.
        var snapshot = await _build.SourceSnapshotAsync(from, cancellationToken).ConfigureAwait(false);
        if (snapshot is null) return [];
        // A committed snapshot never changes: its checksums are computed (and mounted for) once.
        var selection = string.Join('\n', sources) + "\0" + string.Join('\n', excludes);
        return await _build.Cache.SnapshotFilesAsync(snapshot, selection, async () =>
        {
            var view = await _build.Workspace.ViewAsync(snapshot, cancellationToken).ConfigureAwait(false);
            await using (view.ConfigureAwait(false))
            {
                return await SourceHasher.HashAsync(view.Path, null, sources, excludes, withOwners: true, null, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
    }
}
