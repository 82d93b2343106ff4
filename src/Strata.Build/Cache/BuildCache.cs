using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Strata.Core;
using Strata.Dockerfile.Expansion;
using Strata.Images;
using Strata.Images.Metadata;
using Strata.Rootfs;

namespace Strata.Build.Cache;

/// <summary>
/// One build's view of the cache: the previous build's step keys (their inputs are read only
/// to explain a miss), the keys seen now (saved when the build succeeds, with the inputs of
/// the steps that ran), record lookups that check the layer blob and snapshot still exist, and
/// the key each finished stage ended with.
/// </summary>
internal sealed class BuildCache
{
    private readonly ImageStore _store;
    private readonly BuildCacheStore _records;
    private readonly string _dockerfile;
    private readonly string _target;
    private readonly Dictionary<string, string>? _previous;
    private readonly ConcurrentDictionary<string, string> _current = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CacheKey> _links = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<CacheKey, string> _ran = new();
    private readonly ConcurrentBag<CacheKey> _used = [];
    private readonly ConcurrentDictionary<CacheKey, (int History, int Layer)> _places = new();
    private readonly ConditionalWeakTable<object, StageKey> _stageKeys = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<StatIndex>>> _indexes = new(StringComparer.Ordinal);
    private int _misses;

    private BuildCache(ImageStore store, BuildCacheOptions options, string dockerfile, string target, Dictionary<string, string>? previous)
    {
        _store = store;
        _records = new BuildCacheStore(store.Metadata);
        Options = options;
        _dockerfile = dockerfile;
        _target = target;
        _previous = previous;
    }

    public BuildCacheOptions Options { get; }

    public int Misses => _misses;

    /// <summary>Whether a build of this Dockerfile and target recorded its steps before.</summary>
    public bool HasPrevious => _previous is not null;

    public static async Task<BuildCache> OpenAsync(ImageStore store, BuildRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(request);
        // Stdin Dockerfiles are told apart by their context directory only.
        var dockerfile = (request.DockerfilePath ?? "-") + "\n" + request.ContextDirectory;
        var target = request.Target ?? "";
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
        return new BuildCache(store, request.Cache, dockerfile, target, previous);
    }

    public static string Slot(int stage, int step) => $"{stage}/{step}";

    /// <summary>Whether the previous build had a step in <paramref name="slot"/>.</summary>
    public bool HadSlot(string slot) => _previous?.ContainsKey(slot) ?? false;

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

    /// <summary>Notes the step in <paramref name="slot"/> had <paramref name="key"/>; the inputs of a step that runs are kept to explain later misses.</summary>
    public void Observe(string slot, CacheKey key, StepInputs inputs, bool ran)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        _current[slot] = key.ToString();
        if (ran) _ran[key] = JsonSerializer.Serialize(inputs, CacheJsonContext.Default.StepInputs);
    }

    /// <summary>Notes the parent-independent key of the --link step in <paramref name="slot"/>, exported beside its chained key.</summary>
    public void ObserveLink(string slot, CacheKey link) => _links[slot] = link;

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

    public void CountMiss() => Interlocked.Increment(ref _misses);

    /// <summary>Remembers the key a stage state ended with (reference identity) and whether the stage rebuilt anything.</summary>
    public void Remember(object state, CacheKey key, bool rebuilt) => _stageKeys.AddOrUpdate(state, new StageKey(key, rebuilt));

    public StageKey? KeyOf(object state) => _stageKeys.TryGetValue(state, out var k) ? k : null;

    /// <summary>The stat index of a context directory (the main one or a named one), loaded once per build.</summary>
    public Task<StatIndex> StatIndexAsync(string root, CancellationToken cancellationToken) =>
        _indexes.GetOrAdd(root, r => new Lazy<Task<StatIndex>>(() => _records.LoadStatIndexAsync(r, cancellationToken))).Value;

    /// <summary>
    /// A usable record for <paramref name="key"/> with its layer, or null and why not: a
    /// record is only a hit while its layer blob and layer row are still in the store. When its
    /// snapshot is gone (pruned, or an imported cache that brought only blobs) the hit says so
    /// with <c>Unpack</c>, and the stage builder unpacks the layer over its parent.
    /// </summary>
    public async Task<(CacheRecord? Record, LayerRecord? Layer, string? Why, bool Unpack)> FindAsync(CacheKey key, ILayerWorkspace workspace, CancellationToken cancellationToken)
    {
        // Everything a hit reuses is leased before it is looked at: a prune in another process
        // either removed it already (a miss, or an unpack) or keeps it until this build's image
        // is recorded (the build's lease, see BuildEngine).
        await _store.Leases.AddCacheRecordAsync(key.ToString(), cancellationToken).ConfigureAwait(false);
        var record = await _records.FindAsync(key, cancellationToken).ConfigureAwait(false);
        if (record is null) return (null, null, null, false);
        LayerRecord? layer = null;
        bool unpack = false;
        if (record.Layer is { } digest)
        {
            await _store.Leases.AddBlobAsync(digest, cancellationToken).ConfigureAwait(false);
            layer = await _store.Metadata.FindLayerAsync(digest, cancellationToken).ConfigureAwait(false);
            if (layer is null || await _store.Content.InfoAsync(digest, cancellationToken).ConfigureAwait(false) is null)
                return (null, null, $"cached layer {digest} is no longer in the store", false);
            if (workspace is not SnapshotWorkspace snapshots) return (null, null, "this workspace cannot reuse cached layers", false);
            if (record.Snapshot is not null) await _store.Leases.AddSnapshotAsync(record.Snapshot, cancellationToken).ConfigureAwait(false);
            unpack = record.Snapshot is null || await snapshots.Snapshotter.StatAsync(record.Snapshot, cancellationToken).ConfigureAwait(false) is null;
        }
        _used.Add(key);
        return (record, layer, null, unpack);
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

    /// <summary><c>--cache-from</c>: brings every requested cache's records into the store before the build looks anything up.</summary>
    public static async Task ImportAsync(ImageStore store, BuildCacheOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var spec in options.ImportFrom) await CacheImporter.ImportAsync(store, spec, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>--cache-to</c>, after a successful build: mode=max exports every step this build
    /// looked up; mode=min only the final image's steps (the target stage and the stages it is
    /// built FROM), not stages it only copies from.
    /// </summary>
    public async Task ExportAsync(ExpandedDockerfile dockerfile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dockerfile);
        if (Options.ExportTo is not { } spec) return;
        var keys = KeysOf(dockerfile, spec.Mode);
        await CacheExporter.ExportAsync(_store, keys, spec, cancellationToken).ConfigureAwait(false);
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
    public async Task PutAsync(CacheRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await _store.Leases.AddCacheRecordAsync(record.Key.ToString(), cancellationToken).ConfigureAwait(false);
        await _records.PutAsync(record, _store.Now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>After a successful build: keeps its step keys and the inputs of the steps that ran for the next build's explanations, and the stat index.</summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        var now = _store.Now;
        await _records.SaveStepInputsAsync([.. _ran], now, cancellationToken).ConfigureAwait(false);
        var slots = new Dictionary<string, string>(_current, StringComparer.Ordinal);
        await _records.SaveInputsAsync(_dockerfile, _target, JsonSerializer.Serialize(slots, CacheJsonContext.Default.DictionaryStringString), now, cancellationToken).ConfigureAwait(false);
        foreach (var index in _indexes.Values) await _records.SaveStatIndexAsync(await index.Value.ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        await _records.TouchAsync([.. _used], now, cancellationToken).ConfigureAwait(false);
    }
}
