using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Strata.Build.Progress;
using Strata.Core;
using Strata.Dockerfile.Expansion;
using Strata.Images;
using Strata.Images.Metadata;
using Strata.Rootfs;

namespace Strata.Build.Cache;

/// <summary>
/// One build's use of the cache, from <see cref="OpenAsync"/> (imports <c>--cache-from</c>, reads
/// the previous build's step keys) to <see cref="CompleteAsync"/> (after the image is committed:
/// saves this build's keys and the inputs of the steps that ran, releases the leases, exports
/// <c>--cache-to</c>). In between, <see cref="DecideAsync"/> looks a step up as far as the pure
/// <see cref="CachePlanner"/> needs and acts on its decision, and <see cref="RecordAsync"/>
/// keeps what a step that ran produced. The previous build's inputs are read only to explain a miss.
/// </summary>
internal sealed class CacheSession
{
    private readonly ImageStore _store;
    private readonly ILayerWorkspace _workspace;
    private readonly BuildCacheStore _records;
    private readonly string _dockerfile;
    private readonly string _target;
    private readonly Dictionary<string, string>? _previous;
    private readonly ConcurrentDictionary<string, string> _current = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CacheKey> _links = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<CacheKey, string> _ran = new();
    private readonly ConcurrentBag<CacheKey> _used = [];
    private readonly ConcurrentDictionary<CacheKey, (int History, int Layer)> _places = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<StatIndex>>> _indexes = new(StringComparer.Ordinal);
    private readonly RegistryCacheRecords _remote;
    // The bases of --cache-from caches, and those this build's steps start from (for --cache-to).
    private readonly IReadOnlyList<CacheManifestBase> _importedBases;
    private readonly ConcurrentDictionary<CacheManifestBase, byte> _bases = new();

    private CacheSession(ImageStore store, ILayerWorkspace workspace, BuildCacheOptions options, string dockerfile, string target, Dictionary<string, string>? previous, RegistryCacheRecords remote, IReadOnlyList<CacheManifestBase> importedBases)
    {
        _remote = remote;
        _importedBases = importedBases;
        _store = store;
        _workspace = workspace;
        _records = new BuildCacheStore(store.Metadata);
        Options = options;
        _dockerfile = dockerfile;
        _target = target;
        _previous = previous;
    }

    public BuildCacheOptions Options { get; }

    /// <summary>Whether a build of this Dockerfile and target recorded its steps before.</summary>
    public bool HasPrevious => _previous is not null;

    /// <summary>
    /// Starts a build's use of the cache: <c>--cache-from</c> sources are imported first (every
    /// lookup may find their records), then the previous build of this Dockerfile and target is read.
    /// </summary>
    public static Task<CacheSession> OpenAsync(ImageStore store, ILayerWorkspace workspace, BuildRequest request, IBuildProgress progress, CancellationToken cancellationToken) =>
        OpenAsync(store, workspace, request, progress, platformScoped: false, cancellationToken);

    /// <param name="platformScoped">
    /// One platform of a multi-platform build: the previous build's steps (read to explain a
    /// miss) are those of the same platform, so two platforms do not explain each other's misses.
    /// </param>
    public static async Task<CacheSession> OpenAsync(ImageStore store, ILayerWorkspace workspace, BuildRequest request, IBuildProgress progress, bool platformScoped, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        var remote = new RegistryCacheRecords(request.Cache.Registry);
        void Warn(string message) => progress.Warning(new BuildWarning("CacheNotUsed", message, request.DockerfileName, 0));
        var importedBases = new List<CacheManifestBase>();
        foreach (var spec in request.Cache.ImportFrom) importedBases.AddRange(await CacheImporter.ImportAsync(store, spec, remote, Warn, cancellationToken).ConfigureAwait(false));
        // Stdin Dockerfiles are told apart by their context directory only.
        var dockerfile = (request.DockerfilePath ?? "-") + "\n" + request.ContextDirectory;
        var target = (request.Target ?? "") + (platformScoped ? "\n" + request.Platform : "");
        var records = new BuildCacheStore(store.Metadata);
        var json = await records.LoadInputsAsync(dockerfile, target, cancellationToken).ConfigureAwait(false);
        Dictionary<string, string>? previous = null;
        if (json is not null)
        {
            try
            {
                previous = JsonSerializer.Deserialize(json, CacheJsonContext.Default.DictionaryStringString);
            }
            catch (JsonException)
            {
                // A record in an older format explains nothing; the build still works.
            }
        }
        return new CacheSession(store, workspace, request.Cache, dockerfile, target, previous, remote, importedBases);
    }

    public static string Slot(int stage, int step) => $"{stage}/{step}";

    /// <summary>
    /// Decides a step (<see cref="CachePlanner"/>), looking up its key, the previous build's
    /// inputs and its --link key only as far as the planner needs them, and acts on the decision:
    /// a hit without its snapshot is unpacked over the parent, a rebase stacks the linked layer
    /// on the parent and records it under the chained key, a miss is counted. Every step's key is
    /// noted for this build's record; the inputs of a step that runs are kept to explain later misses.
    /// </summary>
    public async Task<CacheDecision> DecideAsync(CacheQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var key = query.Inputs.Key();
        if (query.LinkKey is { } observed) _links[query.Slot] = observed;
        var facts = new CacheFacts
        {
            Chain = query.Chain,
            Key = key,
            Inputs = query.Inputs,
            LinkKey = query.LinkKey,
            NoCache = Options.NoCache,
            NoCacheFilter = query.NoCacheFilter,
            StepName = query.StepName,
            HasPrevious = HasPrevious,
            HadSlot = _previous?.ContainsKey(query.Slot) ?? false,
            OtherBase = OtherBase(query.Inputs),
        };
        if (CachePlanner.LooksUp(facts))
        {
            var found = await FindAsync(key, cancellationToken).ConfigureAwait(false);
            facts = facts with { Found = found };
            // The previous inputs are read only now: a hit never needs them.
            if (found.Record is null) facts = facts with { Previous = await PreviousAsync(query.Slot, cancellationToken).ConfigureAwait(false) };
        }
        if (CachePlanner.TriesRebase(facts)) facts = facts with { LinkFound = await FindAsync(query.LinkKey!.Value, cancellationToken).ConfigureAwait(false) };
        var decision = CachePlanner.Decide(facts);
        switch (decision.Outcome)
        {
            case CacheOutcome.Hit:
                // The layer blob is here but its snapshot is not (pruned, or the record came from --cache-from): unpack it over the parent.
                if (decision.Unpack && decision.Layer is { } layer)
                    decision = decision with { Record = decision.Record! with { Snapshot = await _workspace.StackAsync(query.ParentSnapshot, query.ParentDiffIds, layer, cancellationToken).ConfigureAwait(false) } };
                Observe(query.Slot, key, query.Inputs, ran: false);
                break;
            case CacheOutcome.Rebase:
                // The linked layer (the same blob, nothing copied) stacked on this parent, recorded
                // under the chained key too so the next build on this parent hits directly.
                var linked = decision.Record!;
                var snapshot = decision.Layer is null ? null : await _workspace.StackAsync(query.ParentSnapshot, query.ParentDiffIds, decision.Layer, cancellationToken).ConfigureAwait(false);
                var chained = new CacheRecord(key, linked.Layer, snapshot, linked.CreatedBy, linked.HistoryCreated);
                await PutAsync(chained, cancellationToken).ConfigureAwait(false);
                decision = decision with { Record = chained };
                // The chained key is new to the store: its inputs are kept to explain later misses.
                Observe(query.Slot, key, query.Inputs, ran: true);
                break;
            default:
                Observe(query.Slot, key, query.Inputs, ran: true);
                break;
        }
        return decision;
    }

    /// <summary>
    /// After a step that ran: its record (layer, the snapshot holding the stack, history text and
    /// time); a missed --link step also under its parent-independent key, with no snapshot
    /// because stacks are per parent.
    /// </summary>
    public async Task RecordAsync(CacheDecision decision, Images.Metadata.LayerRecord? layer, string? snapshot, Oci.HistoryEntry? history, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        await PutAsync(new CacheRecord(decision.Key, layer?.Digest, layer is null ? null : snapshot, history?.CreatedBy, history?.Created), cancellationToken).ConfigureAwait(false);
        if (decision.LinkKey is { } link)
            await PutAsync(new CacheRecord(link, layer?.Digest, null, history?.CreatedBy, history?.Created), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Why an imported cache cannot hit for a step on this base: the caches list builds on a base
    /// of the same name, and none on this very image. Null when they do, or list none of that name.
    /// </summary>
    private string? OtherBase(StepInputs inputs)
    {
        if (CacheManifestBase.Of(inputs) is not { } mine) return null;
        _bases.TryAdd(mine, 0);
        var theirs = _importedBases.Where(b => b.Name == mine.Name).Select(b => b.Image).Distinct().ToList();
        if (theirs.Count == 0 || theirs.Contains(mine.Image)) return null;
        return $"the --cache-from cache holds builds of another base: {mine.Name} is {Short(mine.Image)} here, {string.Join(" or ", theirs.Select(Short))} in the cache";
    }

    /// <summary>An image ID as <c>strata images</c> shows it.</summary>
    private static string Short(string image) => Digest.TryParse(image, out var digest) ? digest.ShortHex : image;

    /// <summary>The inputs the previous build's step in <paramref name="slot"/> had, or null.</summary>
    public async Task<StepInputs?> PreviousAsync(string slot, CancellationToken cancellationToken)
    {
        if (_previous?.GetValueOrDefault(slot) is not { } text || !Digest.TryParse(text, out var digest)) return null;
        var key = new CacheKey(digest);
        if (_ran.TryGetValue(key, out var own)) return JsonSerializer.Deserialize(own, CacheJsonContext.Default.StepInputs);
        var json = await _records.LoadStepInputsAsync(key, cancellationToken).ConfigureAwait(false);
        try
        {
            return json is null ? null : JsonSerializer.Deserialize(json, CacheJsonContext.Default.StepInputs);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The full input diff of a missed step against the previous build's same step (<c>--explain</c>).</summary>
    public async Task<IReadOnlyList<string>> ExplainAsync(string slot, StepInputs inputs, CancellationToken cancellationToken) =>
        [.. MissExplainer.FullDiff(await PreviousAsync(slot, cancellationToken).ConfigureAwait(false), inputs)];

    /// <summary>Notes the step in <paramref name="slot"/> had <paramref name="key"/>; the inputs of a step that runs are kept to explain later misses.</summary>
    private void Observe(string slot, CacheKey key, StepInputs inputs, bool ran)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        _current[slot] = key.ToString();
        if (ran) _ran[key] = JsonSerializer.Serialize(inputs, CacheJsonContext.Default.StepInputs);
    }

    /// <summary>Where a step's result sits in its stage's state: its history entry's index and its layer's (-1: none), for the inline cache.</summary>
    public void Place(CacheKey key, int history, int layer) => _places[key] = (history, layer);

    /// <summary>
    /// <c>--cache-to type=inline</c>: <paramref name="container"/> with the <see cref="InlineCache.Label"/>
    /// label listing the final image's steps (the target stage and the stages it is built FROM).
    /// </summary>
    public Oci.ContainerConfig WithInlineKeys(Oci.ContainerConfig container, ExpandedDockerfile dockerfile)
    {
        ArgumentNullException.ThrowIfNull(container);
        if (!Options.Inline) return container;
        // A --link step's parent-independent key rides with its chained key, so a store that
        // imports only this image can still rebase the layer onto another base.
        var entries = StepsOf(dockerfile, CacheExportMode.Min)
            .Where(s => _places.ContainsKey(s.Key))
            .Select(s => new InlineCacheEntry(s.Key.ToString(), _places[s.Key].History, _places[s.Key].Layer)
            {
                Link = _links.TryGetValue(s.Slot, out var link) ? link.ToString() : null,
            });
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in container.Labels ?? new Dictionary<string, string>()) labels[k] = v;
        labels[InlineCache.Label] = InlineCache.Serialize(entries);
        return container with { Labels = labels };
    }

    /// <summary>The stat index of a context directory (the main one or a named one), loaded once per build.</summary>
    public Task<StatIndex> StatIndexAsync(string root, CancellationToken cancellationToken) =>
        _indexes.GetOrAdd(root, r => new Lazy<Task<StatIndex>>(() => _records.LoadStatIndexAsync(r, cancellationToken))).Value;

    /// <summary>
    /// A usable record for <paramref name="key"/> with its layer, or null and why not: a
    /// record is only a hit while its layer blob and layer row are still in the store. When its
    /// snapshot is gone (pruned, or an imported cache that brought only blobs) the hit says so
    /// with <c>Unpack</c>, and the stage builder unpacks the layer over its parent.
    /// </summary>
    private async Task<CacheLookup> FindAsync(CacheKey key, CancellationToken cancellationToken)
    {
        // A --cache-from type=registry record is downloaded only when a step looks it up.
        await _remote.FetchAsync(_store, key, cancellationToken).ConfigureAwait(false);
        // One write transaction for the look-up and its (up to three) lease rows, which the reads
        // and lease writes inside join: one commit per step instead of three on a no-op rebuild.
        return await _store.Metadata.WriteAsync(BuildCacheTables.Tables, (_, ct) => FindLeasedAsync(key, ct), cancellationToken).ConfigureAwait(false);
    }

    private async Task<CacheLookup> FindLeasedAsync(CacheKey key, CancellationToken cancellationToken)
    {
        // Everything a hit reuses is leased before it is looked at: a prune in another process
        // either removed it already (a miss, or an unpack) or keeps it until this build's image
        // is recorded (the build's lease, see BuildEngine).
        await _store.Leases.AddCacheRecordAsync(key.ToString(), cancellationToken).ConfigureAwait(false);
        var record = await _records.FindAsync(key, cancellationToken).ConfigureAwait(false);
        if (record is null) return CacheLookup.None;
        LayerRecord? layer = null;
        bool unpack = false;
        if (record.Layer is { } digest)
        {
            await _store.Leases.AddBlobAsync(digest, cancellationToken).ConfigureAwait(false);
            layer = await _store.Metadata.FindLayerAsync(digest, cancellationToken).ConfigureAwait(false);
            if (layer is null || await _store.Content.InfoAsync(digest, cancellationToken).ConfigureAwait(false) is null)
                return CacheLookup.Unusable($"cached layer {digest} is no longer in the store");
            if (_workspace is not SnapshotWorkspace snapshots) return CacheLookup.Unusable("this workspace cannot reuse cached layers");
            if (record.Snapshot is not null) await _store.Leases.AddSnapshotAsync(record.Snapshot, cancellationToken).ConfigureAwait(false);
            unpack = record.Snapshot is null || await snapshots.Snapshotter.StatAsync(record.Snapshot, cancellationToken).ConfigureAwait(false) is null;
        }
        _used.Add(key);
        return new CacheLookup(record, layer, null, unpack);
    }

    /// <summary>Checksums of a selection from a committed snapshot, computed once ever per snapshot and selection.</summary>
    public async Task<List<SourceFile>> SnapshotFilesAsync(string snapshot, string selection, Func<Task<List<SourceFile>>> compute, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(compute);
        if (await _records.LoadSnapshotFilesAsync(snapshot, selection, cancellationToken).ConfigureAwait(false) is { } json)
        {
            try
            {
                if (JsonSerializer.Deserialize(json, CacheJsonContext.Default.ListSourceFile) is { } known) return known;
            }
            catch (JsonException)
            {
                // Recompute below.
            }
        }
        var files = await compute().ConfigureAwait(false);
        await _records.SaveSnapshotFilesAsync(snapshot, selection, JsonSerializer.Serialize(files, CacheJsonContext.Default.ListSourceFile), cancellationToken).ConfigureAwait(false);
        return files;
    }

    /// <summary>
    /// <c>--cache-to</c>, after a successful build: mode=max exports every step this build
    /// looked up; mode=min only the final image's steps (the target stage and the stages it is
    /// built FROM), not stages it only copies from.
    /// </summary>
    private async Task ExportAsync(ExpandedDockerfile dockerfile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dockerfile);
        if (Options.ExportTo is not { } spec) return;
        var keys = KeysOf(dockerfile, spec.Mode);
        var bases = _bases.Keys.OrderBy(b => b.Name, StringComparer.Ordinal).ThenBy(b => b.Image, StringComparer.Ordinal).ToList();
        await CacheExporter.ExportAsync(_store, keys, bases, spec, Options.Registry, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// This build's step keys in stage and step order: every stage (max) or the final image's
    /// stages (min); a --link step's link key follows its chained key, so an imported cache can rebase.
    /// </summary>
    private List<CacheKey> KeysOf(ExpandedDockerfile dockerfile, CacheExportMode mode) =>
        [.. StepsOf(dockerfile, mode).SelectMany(s => WithLink(s.Slot, s.Key))];

    /// <summary>This build's steps (slot and chained key) in stage and step order: every stage (max) or the final image's stages (min).</summary>
    private List<(string Slot, CacheKey Key)> StepsOf(ExpandedDockerfile dockerfile, CacheExportMode mode)
    {
        ArgumentNullException.ThrowIfNull(dockerfile);
        HashSet<int>? stages = null;
        if (mode == CacheExportMode.Min)
        {
            stages = [];
            for (int? at = dockerfile.Graph.Target.Index; at is { } index && stages.Add(index);)
                at = dockerfile.Stages.FirstOrDefault(s => s.Stage.Index == index)?.BaseStage;
        }
        return _current
            .Select(p => (Stage: int.Parse(p.Key[..p.Key.IndexOf('/', StringComparison.Ordinal)], CultureInfo.InvariantCulture),
                Step: int.Parse(p.Key[(p.Key.IndexOf('/', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture), Key: p.Value))
            .Where(p => stages is null || stages.Contains(p.Stage))
            .OrderBy(p => p.Stage).ThenBy(p => p.Step)
            .Select(p => (Slot(p.Stage, p.Step), new CacheKey(Digest.Parse(p.Key))))
            .ToList();
    }

    private IEnumerable<CacheKey> WithLink(string slot, CacheKey key)
    {
        yield return key;
        if (_links.TryGetValue(slot, out var link)) yield return link;
    }

    /// <summary>Records a step's result; the record is held by the build's lease so a prune meanwhile leaves it.</summary>
    private async Task PutAsync(CacheRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await _store.Leases.AddCacheRecordAsync(record.Key.ToString(), cancellationToken).ConfigureAwait(false);
        await _records.PutAsync(record, _store.Now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends a successful build's use of the cache, once its image is committed: keeps its keys,
    /// then exports <c>--cache-to</c>.
    /// </summary>
    public async Task CompleteAsync(ExpandedDockerfile dockerfile, CancellationToken cancellationToken)
    {
        await SaveAsync(cancellationToken).ConfigureAwait(false);
        await ExportAsync(dockerfile, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Keeps the build's step keys and the inputs of the steps that ran for the next build's
    /// explanations, the stat index, and when each record was used: in one write transaction
    /// (the writes below join it), one commit per build instead of up to four.
    /// </summary>
    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        var now = _store.Now;
        var slots = new Dictionary<string, string>(_current, StringComparer.Ordinal);
        var indexes = new List<StatIndex>();
        foreach (var index in _indexes.Values) indexes.Add(await index.Value.ConfigureAwait(false));
        await _store.Metadata.WriteAsync(BuildCacheTables.Tables, async (_, ct) =>
        {
            await _records.SaveStepInputsAsync([.. _ran], now, ct).ConfigureAwait(false);
            await _records.SaveInputsAsync(_dockerfile, _target, JsonSerializer.Serialize(slots, CacheJsonContext.Default.DictionaryStringString), now, ct).ConfigureAwait(false);
            foreach (var index in indexes) await _records.SaveStatIndexAsync(index, ct).ConfigureAwait(false);
            await _records.TouchAsync([.. _used], now, ct).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }
}
