namespace Strata.Images.Metadata;

/// <summary>
/// The SQLite schema of <c>metadata.db</c>. Blobs stay the source of truth for content; these
/// tables say which blobs make up which images and names, so GC and listings need no blob reads.
/// Tables of rooms above the store (the build cache's) are declared by their owners
/// (<see cref="MetadataTables"/>), not here.
/// </summary>
internal static class MetadataSchema
{
    public const int Version = 1;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS images (
            id TEXT PRIMARY KEY,
            manifest_digest TEXT NOT NULL,
            manifest_media_type TEXT NOT NULL,
            manifest_size INTEGER NOT NULL,
            created TEXT,
            size INTEGER NOT NULL,
            added_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS image_layers (
            image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            digest TEXT NOT NULL,
            PRIMARY KEY (image_id, position));
        CREATE INDEX IF NOT EXISTS image_layers_digest ON image_layers(digest);
        CREATE TABLE IF NOT EXISTS tags (
            name TEXT PRIMARY KEY,
            image_id TEXT NOT NULL REFERENCES images(id),
            updated_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS tags_image ON tags(image_id);
        CREATE TABLE IF NOT EXISTS layers (
            digest TEXT PRIMARY KEY,
            diff_id TEXT NOT NULL,
            media_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            content_size INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS layers_diff_id ON layers(diff_id);
        CREATE TABLE IF NOT EXISTS image_indexes (
            digest TEXT PRIMARY KEY,
            media_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            added_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS index_children (
            index_digest TEXT NOT NULL REFERENCES image_indexes(digest) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            manifest_digest TEXT NOT NULL,
            media_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            os TEXT,
            architecture TEXT,
            variant TEXT,
            PRIMARY KEY (index_digest, position));
        CREATE INDEX IF NOT EXISTS index_children_manifest ON index_children(manifest_digest);
        CREATE TABLE IF NOT EXISTS index_tags (
            name TEXT PRIMARY KEY,
            index_digest TEXT NOT NULL REFERENCES image_indexes(digest),
            updated_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS layer_variants (
            digest TEXT NOT NULL,
            media_type TEXT NOT NULL,
            level INTEGER NOT NULL,
            variant_digest TEXT NOT NULL,
            size INTEGER NOT NULL,
            PRIMARY KEY (digest, media_type, level));
        CREATE INDEX IF NOT EXISTS layer_variants_variant ON layer_variants(variant_digest);
        DROP TABLE IF EXISTS snapshots;
        CREATE TABLE IF NOT EXISTS containers (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            image_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            state TEXT NOT NULL);
        DROP TABLE IF EXISTS leases;
        CREATE TABLE IF NOT EXISTS store_leases (
            id TEXT PRIMARY KEY,
            pid INTEGER NOT NULL,
            pid_start INTEGER NOT NULL,
            created_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS lease_resources (
            lease_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            resource TEXT NOT NULL,
            PRIMARY KEY (lease_id, kind, resource));
        """;
}
