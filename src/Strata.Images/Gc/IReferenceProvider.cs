namespace Strata.Images.Gc;

/// <summary>
/// An owner of things stored beside images (build cache records, containers, downloads) that
/// tells the collector what it holds, as containerd's <c>pkg/gc</c> asks each resource's owner.
/// Images cannot see these owners' tables (they live in rooms above), so the owners register a
/// provider with the <see cref="GarbageCollector"/> instead.
/// </summary>
public interface IReferenceProvider
{
    /// <summary>Every blob and snapshot the owner holds now. Read-only: it must not write to the store.</summary>
    Task<GcRoots> RootsAsync(CancellationToken cancellationToken);
}
