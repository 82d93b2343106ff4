using Microsoft.Data.Sqlite;
using Strata.Core;

namespace Strata.Images.Metadata;

/// <summary>
/// The <c>layer_variants</c> table: uncompressed layer -> its compressed variants. A row names
/// two blobs the store holds; the GC keeps a variant while its layer is live, and deleting
/// either blob's layer row deletes the variant row (<see cref="MetadataStore.DeleteLayerAsync"/>).
/// </summary>
public static class LayerVariantTable
{
    private const string Columns = "digest, media_type, level, variant_digest, size";

    /// <summary>The variant of <paramref name="digest"/> of this media type and level, if one was made.</summary>
    public static Task<LayerVariantRecord?> FindAsync(MetadataStore metadata, Digest digest, string mediaType, int level, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return metadata.ReadAsync(async (c, ct) => (await MetadataStore.QueryAsync(c, $"SELECT {Columns} FROM layer_variants WHERE digest = $d AND media_type = $mt AND level = $l", Read, ct,
            ("$d", digest.Value), ("$mt", mediaType), ("$l", level)).ConfigureAwait(false)).FirstOrDefault(), cancellationToken);
    }

    /// <summary>Every variant the store records.</summary>
    public static Task<List<LayerVariantRecord>> ListAsync(MetadataStore metadata, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return metadata.ReadAsync((c, ct) => MetadataStore.QueryAsync(c, $"SELECT {Columns} FROM layer_variants", Read, ct), cancellationToken);
    }

    /// <summary>Every variant the store records, read in a transaction of the caller's.</summary>
    internal static Task<List<LayerVariantRecord>> ListAsync(SqliteConnection c, CancellationToken cancellationToken) =>
        MetadataStore.QueryAsync(c, $"SELECT {Columns} FROM layer_variants", Read, cancellationToken);

    /// <summary>Records a variant (the same one made twice keeps its first row).</summary>
    internal static Task PutAsync(SqliteConnection c, LayerVariantRecord variant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(variant);
        return MetadataStore.ExecuteAsync(c, $"INSERT INTO layer_variants ({Columns}) VALUES ($d, $mt, $l, $v, $s) ON CONFLICT DO NOTHING", cancellationToken,
            ("$d", variant.Digest.Value), ("$mt", variant.MediaType), ("$l", variant.Level), ("$v", variant.Variant.Value), ("$s", variant.Size));
    }

    private static LayerVariantRecord Read(SqliteDataReader r) =>
        new(Digest.Parse(r.GetString(0)), r.GetString(1), r.GetInt32(2), Digest.Parse(r.GetString(3)), r.GetInt64(4));
}
