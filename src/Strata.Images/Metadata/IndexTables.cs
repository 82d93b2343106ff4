using Microsoft.Data.Sqlite;
using Strata.Core;

namespace Strata.Images.Metadata;

/// <summary>
/// The store's index tables: <c>image_indexes</c> (one row per index blob),
/// <c>index_children</c> (the manifests each lists, with platform) and <c>index_tags</c> (names
/// that point at an index; a name is in <c>tags</c> or here, never both). A child's image, when
/// present, is an ordinary row of <c>images</c> found by its manifest digest.
/// </summary>
internal static class IndexTables
{
    private const string ChildQuery = """
        SELECT ic.index_digest, ic.manifest_digest, ic.media_type, ic.size, ic.os, ic.architecture, ic.variant,
               (SELECT i.id FROM images i WHERE i.manifest_digest = ic.manifest_digest ORDER BY i.id LIMIT 1)
        FROM index_children ic
        """;

    internal static async Task PutIndexAsync(SqliteConnection c, IndexRecord index, IReadOnlyList<Descriptor> children, CancellationToken cancellationToken)
    {
        await MetadataStore.ExecuteAsync(c, "INSERT INTO image_indexes (digest, media_type, size, added_at) VALUES ($d, $mt, $s, $t) ON CONFLICT(digest) DO NOTHING",
            cancellationToken, ("$d", index.Digest.Value), ("$mt", index.MediaType), ("$s", index.Size), ("$t", MetadataStore.Time(index.AddedAt))).ConfigureAwait(false);
        await MetadataStore.ExecuteAsync(c, "DELETE FROM index_children WHERE index_digest = $d", cancellationToken, ("$d", index.Digest.Value)).ConfigureAwait(false);
        for (int i = 0; i < children.Count; i++)
        {
            var child = children[i];
            await MetadataStore.ExecuteAsync(c, """
                INSERT INTO index_children (index_digest, position, manifest_digest, media_type, size, os, architecture, variant)
                VALUES ($d, $p, $m, $mt, $s, $os, $arch, $v)
                """, cancellationToken, ("$d", index.Digest.Value), ("$p", i), ("$m", child.Digest.Value), ("$mt", child.MediaType), ("$s", child.Size),
                ("$os", child.Platform?.Os), ("$arch", child.Platform?.Architecture), ("$v", child.Platform?.Variant)).ConfigureAwait(false);
        }
    }

    /// <summary>Points <paramref name="name"/> at the index (taking it from an image if it named one).</summary>
    internal static async Task PutTagAsync(SqliteConnection c, ImageReference name, Digest index, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await MetadataStore.ExecuteAsync(c, "DELETE FROM tags WHERE name = $n", cancellationToken, ("$n", name.ToString())).ConfigureAwait(false);
        await MetadataStore.ExecuteAsync(c, "INSERT INTO index_tags (name, index_digest, updated_at) VALUES ($n, $d, $t) ON CONFLICT(name) DO UPDATE SET index_digest = excluded.index_digest, updated_at = excluded.updated_at",
            cancellationToken, ("$n", name.ToString()), ("$d", index.Value), ("$t", MetadataStore.Time(now))).ConfigureAwait(false);
    }

    internal static Task DeleteTagAsync(SqliteConnection c, ImageReference name, CancellationToken cancellationToken) =>
        MetadataStore.ExecuteAsync(c, "DELETE FROM index_tags WHERE name = $n", cancellationToken, ("$n", name.ToString()));

    internal static Task DeleteIndexAsync(SqliteConnection c, Digest index, CancellationToken cancellationToken) =>
        MetadataStore.ExecuteAsync(c, "DELETE FROM index_tags WHERE index_digest = $d; DELETE FROM index_children WHERE index_digest = $d; DELETE FROM image_indexes WHERE digest = $d;",
            cancellationToken, ("$d", index.Value));

    internal static Task<List<IndexRecord>> ListAsync(SqliteConnection c, CancellationToken cancellationToken) =>
        MetadataStore.QueryAsync(c, "SELECT digest, media_type, size, added_at FROM image_indexes ORDER BY digest",
            r => new IndexRecord(Digest.Parse(r.GetString(0)), r.GetString(1), r.GetInt64(2), MetadataStore.ParseTime(r.GetString(3))), cancellationToken);

    /// <summary>Every index's children, by index digest, in index order.</summary>
    internal static async Task<Dictionary<Digest, List<IndexChildRecord>>> ChildrenAsync(SqliteConnection c, CancellationToken cancellationToken)
    {
        var rows = await MetadataStore.QueryAsync(c, ChildQuery + " ORDER BY ic.index_digest, ic.position", r => (Index: Digest.Parse(r.GetString(0)), Child: new IndexChildRecord(
            new Descriptor(r.GetString(2), Digest.Parse(r.GetString(1)), r.GetInt64(3)) { Platform = r.IsDBNull(4) ? null : new Platform(r.GetString(4), r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6)) },
            r.IsDBNull(4) ? null : new Platform(r.GetString(4), r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6)),
            r.IsDBNull(7) ? null : Digest.Parse(r.GetString(7)))), cancellationToken).ConfigureAwait(false);
        return rows.GroupBy(r => r.Index).ToDictionary(g => g.Key, g => g.Select(r => r.Child).ToList());
    }

    /// <summary>Names pointing at indexes.</summary>
    internal static Task<List<(ImageReference Name, Digest Index, DateTimeOffset UpdatedAt)>> TagsAsync(SqliteConnection c, CancellationToken cancellationToken) =>
        MetadataStore.QueryAsync(c, "SELECT name, index_digest, updated_at FROM index_tags ORDER BY name",
            r => (ImageReference.Parse(r.GetString(0)), Digest.Parse(r.GetString(1)), MetadataStore.ParseTime(r.GetString(2))), cancellationToken);
}
