using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Strata.Build.Workspace;
using Strata.Images;
using Strata.Images.Metadata;

namespace Strata.Build.Cache;

/// <summary>
/// One build's view of the cache: the previous build's inputs to explain misses against, the
/// inputs seen now (saved when the build succeeds), record lookups that check the layer blob
/// and snapshot still exist, and the key each finished stage ended with.
/// </summary>
internal sealed class BuildCache
{
    private readonly ImageStore _store;
    private readonly BuildCacheStore _records;
    private readonly string _dockerfile;
    private readonly string _target;
    private readonly Dictionary<string, StepInputs>? _previous;
    private readonly ConcurrentDictionary<string, StepInputs> _current = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<CacheKey> _used = [];
    private readonly ConditionalWeakTable<object, StageKey> _stageKeys = new();
    private readonly Lock _indexLock = new();
    private Task<StatIndex>? _index;
    private int _misses;

    private BuildCache(ImageStore store, BuildCacheOptions options, string dockerfile, string target, Dictionary<string, StepInputs>? previous)
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

    /// <summary>Whether any build of this Dockerfile and target recorded its inputs before.</summary>
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
        Dictionary<string, StepInputs>? previous = null;
        if (json is not null)
        {
            try
            {
                previous = JsonSerializer.Deserialize(json, CacheJsonContext.Default.DictionaryStringStepInputs);
            }
            catch (JsonException)
            {
                // A record from an older format explains nothing; the build still works.
            }
        }
        return new BuildCache(store, request.Cache, dockerfile, target, previous);
    }

    public static string Slot(int stage, int step) => $"{stage}/{step}";

    public StepInputs? Previous(string slot) => _previous?.GetValueOrDefault(slot);

    public void Observe(string slot, StepInputs inputs) => _current[slot] = inputs;

    public void CountMiss() => Interlocked.Increment(ref _misses);

    /// <summary>Remembers the key a stage state ended with (reference identity) and whether the stage rebuilt anything.</summary>
    public void Remember(object state, CacheKey key, bool rebuilt) => _stageKeys.AddOrUpdate(state, new StageKey(key, rebuilt));

    public StageKey? KeyOf(object state) => _stageKeys.TryGetValue(state, out var k) ? k : null;

    /// <summary>The context's stat index, loaded once per build.</summary>
    public Task<StatIndex> StatIndexAsync(string root, CancellationToken cancellationToken)
    {
        lock (_indexLock) return _index ??= _records.LoadStatIndexAsync(root, cancellationToken);
    }

    /// <summary>
    /// A usable record for <paramref name="key"/> with its layer, or null and why not: a
    /// record is only a hit while its layer blob and snapshot are still in the store.
    /// </summary>
    public async Task<(CacheRecord? Record, LayerRecord? Layer, string? Why)> FindAsync(CacheKey key, ILayerWorkspace workspace, CancellationToken cancellationToken)
    {
        var record = await _records.FindAsync(key, cancellationToken).ConfigureAwait(false);
        if (record is null) return (null, null, null);
        LayerRecord? layer = null;
        if (record.Layer is { } digest)
        {
            layer = await _store.Metadata.FindLayerAsync(digest, cancellationToken).ConfigureAwait(false);
            if (layer is null || await _store.Content.InfoAsync(digest, cancellationToken).ConfigureAwait(false) is null)
                return (null, null, $"cached layer {digest} is no longer in the store");
            if (record.Snapshot is null || workspace is not SnapshotWorkspace snapshots
                || await snapshots.Snapshotter.StatAsync(record.Snapshot, cancellationToken).ConfigureAwait(false) is null)
                return (null, null, $"cached snapshot {record.Snapshot} was removed");
        }
        _used.Add(key);
        return (record, layer, null);
    }

    public Task PutAsync(CacheRecord record, CancellationToken cancellationToken) => _records.PutAsync(record, _store.Now, cancellationToken);

    /// <summary>After a successful build: keeps this build's inputs for the next one's explanations, and the stat index.</summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        var inputs = new Dictionary<string, StepInputs>(_current, StringComparer.Ordinal);
        await _records.SaveInputsAsync(_dockerfile, _target, JsonSerializer.Serialize(inputs, CacheJsonContext.Default.DictionaryStringStepInputs), _store.Now, cancellationToken).ConfigureAwait(false);
        if (_index is not null) await _records.SaveStatIndexAsync(await _index.ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        await _records.TouchAsync([.. _used], _store.Now, cancellationToken).ConfigureAwait(false);
    }
}
