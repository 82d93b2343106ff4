using Strata.Archive;
using Strata.Core;

namespace Strata.Images.Transfer;

/// <summary>
/// A root filesystem as a sink (<c>image unpack</c>, <c>build --output type=local|tar</c>):
/// each layer is applied, bottom first, into a directory with the confinement and whiteout
/// rules of any layer, its uncompressed bytes checked against the config's diff ID. The config
/// and manifest are not written (a root filesystem has no place for them). The directory must
/// be empty or absent; until <see cref="CommitAsync"/> it is the sink's, and disposing an
/// uncommitted sink removes what it applied.
/// </summary>
public sealed class RootfsSink : IImageSink
{
    private readonly string _target;
    private readonly bool _created;
    private bool _committed;

    /// <exception cref="AlreadyExistsException">The directory holds something.</exception>
    public RootfsSink(string target, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        _target = Path.GetFullPath(target);
        Name = name;
        if (Directory.Exists(_target) && Directory.EnumerateFileSystemEntries(_target).Any())
            throw new AlreadyExistsException($"unpack target {_target} is not empty");
        _created = !Directory.Exists(_target);
        Directory.CreateDirectory(_target);
    }

    public string Name { get; }

    public async Task WriteLayerAsync(Descriptor layer, DiffId diffId, Func<CancellationToken, Task<Stream>> open, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(open);
        var data = await open(cancellationToken).ConfigureAwait(false);
        await using (data.ConfigureAwait(false))
        {
            var options = new LayerApplyOptions { LayerName = layer.Digest.ToString(), ExpectedDiffId = diffId };
            await LayerApplier.ApplyAsync(data, _target, options, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task WriteImageAsync(ImageDocuments image, IReadOnlyList<ImageReference> names, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A root filesystem is one platform's: an index cannot be unpacked into one (pick a platform first).</summary>
    public Task WriteIndexAsync(Descriptor index, byte[] indexBytes, IReadOnlyList<ImageReference> names, CancellationToken cancellationToken) =>
        throw new InvalidArgumentException($"{Name}: a root filesystem holds one platform's image, not the index {index?.Digest}");

    public Task CommitAsync(CancellationToken cancellationToken)
    {
        _committed = true;
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        if (_committed) return ValueTask.CompletedTask;
        if (_created) Scratch.Delete(_target);
        else foreach (var entry in Directory.EnumerateFileSystemEntries(_target)) Scratch.Delete(entry);
        return ValueTask.CompletedTask;
    }
}
