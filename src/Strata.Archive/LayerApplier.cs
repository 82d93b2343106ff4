using Strata.Archive.Applying;

namespace Strata.Archive;

/// <summary>
/// Applies a layer (plain tar, gzip or zstd, recognised by magic) to a directory: whiteouts
/// delete, opaque markers hide lower contents, and nothing outside the directory is ever
/// created, changed or removed. Hostile names, parent symlinks leading out, hardlinks out,
/// malicious whiteouts and bombs fail with a <see cref="LayerSecurityException"/> naming the
/// layer and the entry. What was applied before the failing entry stays: callers apply into a
/// fresh snapshot and discard it on error.
/// </summary>
public sealed class LayerApplier
{
    private LayerApplier() { }

    public static Task<LayerApplyResult> ApplyAsync(Stream layer, string root, LayerApplyOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(options);
        // Mostly blocking syscalls: run them off the caller's thread.
        return Task.Run(() => new RootedApplier(root, options).ApplyAsync(layer, cancellationToken), cancellationToken);
    }
}
