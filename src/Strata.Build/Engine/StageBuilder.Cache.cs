using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Build.Cache;
using Strata.Build.Config;
using Strata.Build.History;
using Strata.Dockerfile.Expansion;
using Strata.Dockerfile.Instructions;
using Strata.Images.Metadata;
using Strata.Oci;
using Strata.Rootfs;

namespace Strata.Build.Engine;

/// <summary>
/// The build cache's part of a stage (kept out of StageBuilder.cs so the step code and the cache
/// code change independently): each step's inputs and key, the hit-or-miss decision with its
/// reason, reusing a cached layer, and recording what a step that ran produced.
/// </summary>
internal sealed partial class StageBuilder
{
    private CacheKey _cacheParent;
    private string _cacheBase = "scratch";
    private int _cacheStep;
    private int? _firstRebuilt;
    private string? _baseRebuilt;
    private (int Step, string Why)? _rebased;

    /// <summary>
    /// What a step's cache lookup decided: its key, and the record when it is a hit; for a linked
    /// step (StageBuilder.Link.cs) also its parent-independent key, recorded when the step runs.
    /// </summary>
    private sealed record CacheProbe(CacheKey Key, CacheRecord? Record, LayerRecord? Layer)
    {
        public CacheKey? Link { get; init; }
    }

    /// <summary>Sets the stage's first parent key from what it starts from; <paramref name="baseState"/> is the base stage's own final state.</summary>
    private async Task CacheBaseAsync(StageState baseState, CancellationToken cancellationToken)
    {
        var platform = _build.Request.Platform.ToString();
        var named = _build.Named(_stage.Stage.BaseName);
        if (_stage.BaseStage is not null || named is not null)
        {
            var stageKey = _build.Cache.KeyOf(baseState);
            _cacheBase = (named is null ? "stage " : "context ") + (stageKey?.Key.ToString() ?? "unknown");
            _cacheParent = stageKey?.Key ?? CacheKey.Of("stage without key\n" + Guid.NewGuid());
            if (stageKey is null || stageKey.Rebuilt) _baseRebuilt = named is null ? $"base stage {_stage.Stage.BaseName} rebuilt" : $"build context {_stage.Stage.BaseName} changed";
            return;
        }
        if (!string.Equals(_stage.Stage.BaseName, "scratch", StringComparison.OrdinalIgnoreCase))
        {
            // A base image is part of the key by digest: retagging the name to a new image misses.
            var image = await _build.ImageAsync(_stage.Stage.BaseName, cancellationToken).ConfigureAwait(false);
            if (_build.Cache.Options.Pull) await CacheBasePull.VerifyAsync(_build.Store, _stage.Stage.BaseName, image, cancellationToken).ConfigureAwait(false);
            _cacheBase = $"image {image.Record.ManifestDigest} config {image.Id}";
        }
        _cacheParent = CacheKey.Of(_cacheBase + "\n" + platform);
    }

    /// <summary>Registers the stage's final state so stages built on it (FROM stage) chain their keys.</summary>
    private StageState RememberStage(StageState state)
    {
        _build.Cache.Remember(state, _cacheParent, _firstRebuilt is not null || _baseRebuilt is not null);
        return state;
    }

    private async Task<CacheProbe> ProbeCacheAsync(StageState state, ExpandedStep step, int id, CancellationToken cancellationToken)
    {
        var cache = _build.Cache;
        int number = ++_cacheStep;
        var inputs = await StepInputsAsync(state, step, number, cancellationToken).ConfigureAwait(false);
        var key = inputs.Key();
        var link = await LinkInputsAsync(state, step.Instruction, cancellationToken).ConfigureAwait(false) is { } linked ? inputs.LinkKey(linked) : (CacheKey?)null;
        var slot = BuildCache.Slot(_stage.Stage.Index, number);
        if (link is { } observed) cache.ObserveLink(slot, observed);

        string reason;
        if (cache.Options.NoCache) reason = "--no-cache";
        else if (NoCacheFilter(cache.Options) is { } filtered) reason = "--no-cache-filter " + filtered;
        else
        {
            if (_baseRebuilt is not null || _firstRebuilt is not null)
            {
                reason = !cache.HasPrevious ? "no previous build" : _baseRebuilt ?? $"parent step {_firstRebuilt} rebuilt";
            }
            else
            {
                var (record, layer, why, unpack) = await cache.FindAsync(key, _build.Workspace, cancellationToken).ConfigureAwait(false);
                if (record is not null)
                {
                    // The layer blob is here but its snapshot is not (pruned, or the record came from --cache-from): unpack it over the parent.
                    if (unpack && layer is not null)
                        record = record with { Snapshot = await _build.Workspace.StackAsync(state.Snapshot, state.DiffIds, layer, cancellationToken).ConfigureAwait(false) };
                    cache.Observe(slot, key, inputs, ran: false);
                    return new CacheProbe(key, record, layer);
                }
                // The previous inputs are read only now: a hit never needs them.
                var previous = await cache.PreviousAsync(slot, cancellationToken).ConfigureAwait(false);
                reason = previous is null && cache.HasPrevious
                    ? (cache.HadSlot(slot) ? why ?? "the previous build's inputs for this step were not recorded" : "new step")
                    : MissExplainer.Reason(previous, inputs) ?? why ?? "no cache record for this step";
                // After a rebased --link step, what changed for the steps on it is that parent.
                if (_rebased is { } rebased && previous is not null && MissExplainer.ParentChanged(previous, inputs))
                    reason = MissExplainer.ParentRebased(rebased.Step, rebased.Why);
            }
            // A --link layer does not depend on its parent: found by its own key, it is stacked
            // on this parent and the step stays cached (StageBuilder.Link.cs).
            if (link is { } linkKey && await RebaseAsync(state, key, linkKey, cancellationToken).ConfigureAwait(false) is { } rebasedProbe)
            {
                // The chained key is new to the store: its inputs are kept to explain later misses.
                cache.Observe(slot, key, inputs, ran: true);
                _rebased ??= (number, reason);
                _build.Progress.StepCacheRebased(id, reason);
                return rebasedProbe;
            }
        }
        cache.Observe(slot, key, inputs, ran: true);
        _firstRebuilt ??= number;
        cache.CountMiss();
        _build.Progress.StepCacheMiss(id, reason);
        if (cache.Options.Explain)
            foreach (var line in MissExplainer.FullDiff(await cache.PreviousAsync(slot, cancellationToken).ConfigureAwait(false), inputs)) _build.Progress.StepCacheExplained(id, line);
        return new CacheProbe(key, null, null) { Link = link };
    }

    /// <summary>The <c>--no-cache-filter</c> entry naming this stage (by name or index), or null.</summary>
    private string? NoCacheFilter(BuildCacheOptions options)
    {
        var stage = _stage.Stage;
        return options.NoCacheStages.FirstOrDefault(f =>
            (stage.Name is not null && string.Equals(f, stage.Name, StringComparison.OrdinalIgnoreCase))
            || f == stage.Index.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static bool MakesLayer(Instruction instruction) => instruction is RunInstruction or CopyInstruction or AddInstruction or WorkdirInstruction;

    /// <summary>A filesystem step's cached result: its layer (if it made one) and its history entry, as when it ran.</summary>
    private StageState ApplyCached(StageState state, Instruction instruction, CacheProbe probe)
    {
        var record = probe.Record!;
        _cacheParent = probe.Key;
        if (instruction is WorkdirInstruction workdir) state = state.WithContainer(ImageConfigEditor.Apply(state.Container, workdir, state.CmdSet));
        var entry = new HistoryEntry
        {
            Created = _build.Request.SourceDateEpoch ?? record.HistoryCreated ?? Now,
            CreatedBy = record.CreatedBy,
            Comment = HistoryText.Comment,
            EmptyLayer = probe.Layer is null,
        };
        var next = probe.Layer is null ? state.AddHistory(entry) : state.AddLayer(probe.Layer, record.Snapshot!).AddHistory(entry);
        _build.Cache.Place(probe.Key, next.History.Count - 1, probe.Layer is null ? -1 : next.Layers.Count - 1);
        return next;
    }

    /// <summary>After a step ran (or a metadata step was re-applied on a hit): records a miss's result, or restores a hit's history time.</summary>
    private async Task<StageState> AfterStepAsync(StageState before, StageState next, CacheProbe probe, CancellationToken cancellationToken)
    {
        _cacheParent = probe.Key;
        var history = next.History.Count > before.History.Count ? next.History[^1] : null;
        _build.Cache.Place(probe.Key, history is null ? -1 : next.History.Count - 1, next.Layers.Count > before.Layers.Count ? next.Layers.Count - 1 : -1);
        if (probe.Record is { } hit)
        {
            // Same history time as the build that made the record, so the image ID is the same.
            if (history is not null && _build.Request.SourceDateEpoch is null && hit.HistoryCreated is { } created)
                next = next with { History = [.. next.History.Take(next.History.Count - 1), history with { Created = created }] };
            return next;
        }
        var layer = next.Layers.Count > before.Layers.Count ? next.Layers[^1] : null;
        await _build.Cache.PutAsync(new CacheRecord(probe.Key, layer?.Digest, layer is null ? null : next.Snapshot, history?.CreatedBy, history?.Created), cancellationToken).ConfigureAwait(false);
        // A linked layer is also recorded by its parent-independent key; stacks are per parent, so no snapshot.
        if (probe.Link is { } link)
            await _build.Cache.PutAsync(new CacheRecord(link, layer?.Digest, null, history?.CreatedBy, history?.Created), cancellationToken).ConfigureAwait(false);
        return next;
    }

    private async Task<StepInputs> StepInputsAsync(StageState state, ExpandedStep step, int number, CancellationToken cancellationToken)
    {
        var instruction = step.Instruction;
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        List<SourceFile> files = [];
        switch (instruction)
        {
            case RunInstruction run:
                foreach (var entry in RunEnvironment(state.Container, step.RunEnvironment, _build.Request.BuildArgs))
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
            args.TryAdd("SOURCE_DATE_EPOCH", epoch.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new StepInputs
        {
            Step = number,
            Parent = _cacheParent.ToString(),
            Base = _cacheBase,
            BaseName = _stage.Stage.BaseName,
            Instruction = instruction.Original,
            Definition = Definition(instruction),
            Platform = _build.Request.Platform.ToString(),
            Args = args,
            RunOptions = instruction is RunInstruction ? _build.Request.Run.CacheText() : null,
            Files = files,
        };
    }

    /// <summary>The expanded instruction with its flags; where it sits in the file is not part of it, so adding a comment line keeps the cache.</summary>
    private static string Definition(Instruction instruction)
    {
        if (JsonSerializer.SerializeToNode(instruction, CacheJsonContext.Default.Instruction) is not JsonObject node) return instruction.Original;
        node.Remove("Range");
        node.Remove("Original");
        return node.ToJsonString();
    }

    private async Task<List<SourceFile>> SourceFilesAsync(IReadOnlyList<string> sources, IReadOnlyList<HeredocSource> contents, string? from, IReadOnlyList<string> excludes, CancellationToken cancellationToken)
    {
        if (contents.Count > 0)
            return [.. contents.Select(c => new SourceFile("<<" + c.Name, "heredoc", 0, 0, 0, c.Content.Length, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(c.Content))), null))];
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
