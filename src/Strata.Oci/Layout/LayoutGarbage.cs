using Strata.Content;
using Strata.Core;

namespace Strata.Oci.Layout;

/// <summary>
/// Reachability over an OCI image layout held in an <see cref="IContentStore"/>: from root
/// descriptors (normally <c>index.json</c>'s manifests) through indexes and manifests to their
/// configs and layers. What no root reaches is garbage. Read-only: deleting is the caller's
/// decision (under whatever lock or lease protects writers that have not tagged yet).
/// </summary>
public static class LayoutGarbage
{
    /// <summary>Largest index or manifest we parse (the distribution spec's 4 MiB limit).</summary>
    public const long MaxManifestBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Every blob reachable from <paramref name="roots"/>. Roots and index entries must be
    /// indexes or manifests (OCI or Docker); anything else fails with
    /// <c>unknown media type: ...</c>, because silently treating it as a leaf could collect
    /// blobs that it references in a way we do not understand.
    /// </summary>
    /// <exception cref="InvalidArgumentException">An unknown media type where an index or manifest is expected.</exception>
    /// <exception cref="NotFoundException">A referenced index or manifest is missing.</exception>
    public static async Task<IReadOnlySet<Digest>> FindReachableAsync(IContentStore store, IEnumerable<Descriptor> roots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(roots);
        var reachable = new HashSet<Digest>();
        var pending = new Stack<Descriptor>(roots.Reverse());
        while (pending.TryPop(out var descriptor))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!reachable.Add(descriptor.Digest)) continue;
            if (MediaTypes.IsIndex(descriptor.MediaType))
            {
                var bytes = await store.ReadAllBytesAsync(descriptor.Digest, MaxManifestBytes, cancellationToken).ConfigureAwait(false);
                var index = OciJson.DeserializeIndex(bytes, descriptor.Digest.Value);
                for (int i = index.Manifests.Count - 1; i >= 0; i--) pending.Push(index.Manifests[i]);
            }
            else if (MediaTypes.IsManifest(descriptor.MediaType))
            {
                var bytes = await store.ReadAllBytesAsync(descriptor.Digest, MaxManifestBytes, cancellationToken).ConfigureAwait(false);
                var manifest = OciJson.DeserializeManifest(bytes, descriptor.Digest.Value);
                // Configs and layers are leaves whatever their media type (artifacts use their own).
                reachable.Add(manifest.Config.Digest);
                foreach (var layer in manifest.Layers) reachable.Add(layer.Digest);
            }
            else
            {
                throw new InvalidArgumentException($"unknown media type: {descriptor.MediaType} (descriptor {descriptor.Digest} is neither an index nor a manifest).");
            }
        }
        return reachable;
    }

    /// <summary>Stored blobs that no root reaches, sorted by digest.</summary>
    public static async Task<IReadOnlyList<Digest>> FindUnreferencedAsync(IContentStore store, IEnumerable<Descriptor> roots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var reachable = await FindReachableAsync(store, roots, cancellationToken).ConfigureAwait(false);
        var garbage = new List<Digest>();
        await foreach (var info in store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!reachable.Contains(info.Digest)) garbage.Add(info.Digest);
        }
        garbage.Sort();
        return garbage;
    }

    /// <summary>
    /// As <see cref="FindUnreferencedAsync(IContentStore, IEnumerable{Descriptor}, CancellationToken)"/>
    /// with the manifests of <c>&lt;root&gt;/index.json</c> as roots (none when the file is absent).
    /// </summary>
    public static async Task<IReadOnlyList<Digest>> FindUnreferencedAsync(IContentStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var path = Path.Combine(store.Root, "index.json");
        IReadOnlyList<Descriptor> roots = [];
        if (File.Exists(path))
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            roots = OciJson.DeserializeIndex(bytes, path).Manifests;
        }
        return await FindUnreferencedAsync(store, roots, cancellationToken).ConfigureAwait(false);
    }
}
