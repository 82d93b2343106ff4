using System.Text;
using Strata.Core;

namespace Strata.Registry.Pull;

/// <summary>
/// Where blobs were pulled from, so a later push to another repository of the same registry
/// mounts them instead of uploading (docker keeps the same knowledge, containerd writes it as
/// <c>containerd.io/distribution.source.HOST</c> labels). The registry room owns its directory
/// in the store, <c>registry/</c>: one line per pulled blob, <c>DIGEST DOMAIN/PATH</c>, appended
/// (one small write each, so processes sharing the store do not interleave lines); the last
/// line for a digest and registry wins. A stale line costs nothing: a mount the registry
/// cannot do becomes an upload.
/// </summary>
public sealed class BlobSources
{
    private readonly string _file;

    /// <param name="storeRoot">The store's root; the file is <c>registry/blob-sources</c> inside it.</param>
    public BlobSources(string storeRoot)
    {
        ArgumentNullException.ThrowIfNull(storeRoot);
        _file = Path.Combine(storeRoot, "registry", "blob-sources");
    }

    /// <summary>Remembers that <paramref name="digests"/> are in <paramref name="repository"/>.</summary>
    public async Task RecordAsync(ImageReference repository, IEnumerable<Digest> digests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(digests);
        Directory.CreateDirectory(Path.GetDirectoryName(_file)!);
        var lines = new StringBuilder();
        foreach (var digest in digests) lines.Append(digest).Append(' ').Append(repository.Repository).Append('\n');
        var stream = new FileStream(_file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
            await stream.WriteAsync(Encoding.UTF8.GetBytes(lines.ToString()), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>For each blob known in <paramref name="domain"/>, the repository path it was last pulled from.</summary>
    public async Task<IReadOnlyDictionary<Digest, string>> ForRegistryAsync(string domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var known = new Dictionary<Digest, string>();
        if (!File.Exists(_file)) return known;
        var prefix = domain + "/";
        foreach (var line in await File.ReadAllLinesAsync(_file, cancellationToken).ConfigureAwait(false))
        {
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space < 0 || !Digest.TryParse(line[..space], out var digest)) continue;
            var repository = line[(space + 1)..];
            if (repository.StartsWith(prefix, StringComparison.Ordinal)) known[digest] = repository[prefix.Length..];
        }
        return known;
    }
}
