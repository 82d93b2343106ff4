namespace Strata.Images.Metadata;

/// <summary>
/// Tables a room above the store keeps in <c>metadata.db</c> (the build cache's records, for
/// one). The owner declares them here and is the only one to read or write them, through
/// <see cref="MetadataStore.ReadAsync{T}(MetadataTables, Func{IMetadataSession, CancellationToken, Task{T}}, CancellationToken)"/>
/// and its write twin; the store creates them (idempotent <c>CREATE ... IF NOT EXISTS</c>
/// statements in <see cref="Schema"/>) before the owner's first use in this process.
/// </summary>
/// <param name="Owner">The owning room's name, one set of tables per owner (e.g. <c>build-cache</c>).</param>
/// <param name="Schema">The statements that create the owner's tables and indexes if they are missing.</param>
public sealed record MetadataTables(string Owner, string Schema);
