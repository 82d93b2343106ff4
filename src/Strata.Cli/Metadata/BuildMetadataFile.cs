using System.Text.Json;
using Strata.Core;
using Strata.Images;

namespace Strata.Cli.Metadata;

/// <summary>
/// Writes <c>--metadata-file</c> after a successful build: to a temporary file beside the
/// target, then renamed over it, so a reader never sees half a file and a failed build leaves
/// the previous one as it was.
/// </summary>
internal static class BuildMetadataFile
{
    public static BuildMetadata Describe(StoredImage image, IReadOnlyList<ImageReference> tags) => new()
    {
        Digest = image.Record.ManifestDigest.ToString(),
        ConfigDigest = image.Id.ToString(),
        Descriptor = new BuildMetadataDescriptor(image.Record.ManifestMediaType, image.Record.ManifestDigest.ToString(), image.Record.ManifestSize),
        ImageName = tags.Count == 0 ? null : string.Join(',', tags.Select(t => t.ToString())),
    };

    /// <summary>A multi-platform build's metadata: the index's digest and descriptor, no config digest (buildx's shape).</summary>
    public static BuildMetadata Describe(StoredIndex index, IReadOnlyList<ImageReference> tags) => new()
    {
        Digest = index.Digest.ToString(),
        Descriptor = new BuildMetadataDescriptor(index.Record.MediaType, index.Digest.ToString(), index.Record.Size),
        ImageName = tags.Count == 0 ? null : string.Join(',', tags.Select(t => t.ToString())),
    };

    /// <summary>The file's full path; its directory must exist (checked before the build starts, and again when writing).</summary>
    public static string Target(string path)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        return Directory.Exists(dir) ? full : throw new NotFoundException($"--metadata-file {path}: directory {dir} not found");
    }

    public static async Task WriteAsync(string path, BuildMetadata metadata, CancellationToken cancellationToken)
    {
        var full = Target(path);
        var dir = Path.GetDirectoryName(full)!;
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await JsonSerializer.SerializeAsync(stream, metadata, BuildMetadataJsonContext.Buildx.BuildMetadata, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
