using Strata.Images.Metadata;

namespace Strata.Images.Tests.Metadata;

/// <summary>
/// Tables of a room above the store (<see cref="MetadataTables"/>) on a real metadata.db: created
/// on first use, written and read through <see cref="IMetadataSession"/> only, and a read started
/// inside a sweep joins the sweep's transaction (it sees what the sweep just deleted).
/// </summary>
public sealed class OwnerTablesTests
{
    private static readonly MetadataTables Notes = new("notes", """
        CREATE TABLE IF NOT EXISTS owner_notes (name TEXT PRIMARY KEY, size INTEGER NOT NULL, note TEXT);
        """);

    private static Task<List<(string Name, long Size, string? Note)>> ReadAllAsync(MetadataStore metadata) =>
        metadata.ReadAsync(Notes, (s, ct) => s.QueryAsync("SELECT name, size, note FROM owner_notes ORDER BY name",
            r => (r.GetString(0), r.GetInt64(1), r.IsNull(2) ? null : r.GetString(2)), ct), CancellationToken.None);

    [Fact]
    public async Task An_owners_tables_are_made_on_first_use_and_its_rows_read_back_exactly()
    {
        await using var temp = await TempStore.CreateAsync();
        var metadata = temp.Store.Metadata;

        Assert.Empty(await ReadAllAsync(metadata));
        int changed = await metadata.WriteAsync(Notes, (s, ct) => s.ExecuteEachAsync("INSERT INTO owner_notes (name, size, note) VALUES ($n, $s, $t)",
            [[("$n", "b"), ("$s", 2L), ("$t", null)], [("$n", "a"), ("$s", 1L), ("$t", "first")]], ct), CancellationToken.None);

        Assert.Equal(2, changed);
        Assert.Equal([("a", 1L, "first"), ("b", 2L, null)], await ReadAllAsync(metadata));
        // Another handle on the same store (another process) finds the tables as they are.
        var other = await temp.ReopenAsync();
        Assert.Equal([("a", 1L, "first"), ("b", 2L, null)], await ReadAllAsync(other.Metadata));
    }

    [Fact]
    public async Task A_read_started_inside_a_sweep_sees_what_the_sweep_deleted()
    {
        await using var temp = await TempStore.CreateAsync();
        var metadata = temp.Store.Metadata;
        await metadata.WriteAsync(Notes, (s, ct) => s.ExecuteAsync("INSERT INTO owner_notes (name, size) VALUES ('a', 1), ('b', 2)", ct), CancellationToken.None);

        var seenInside = await temp.Store.Leases.SweepAsync(Notes, async (s, leased, ct) =>
        {
            await s.ExecuteAsync("DELETE FROM owner_notes WHERE name = $n", ct, ("$n", "a"));
            return await ReadAllAsync(metadata);
        }, CancellationToken.None);

        Assert.Equal([("b", 2L, (string?)null)], seenInside);
        Assert.Equal([("b", 2L, (string?)null)], await ReadAllAsync(metadata));
    }

    [Fact]
    public async Task A_failing_unit_of_work_leaves_no_row()
    {
        await using var temp = await TempStore.CreateAsync();
        var metadata = temp.Store.Metadata;

        await Assert.ThrowsAsync<InvalidOperationException>(() => metadata.WriteAsync<int>(Notes, async (s, ct) =>
        {
            await s.ExecuteAsync("INSERT INTO owner_notes (name, size) VALUES ('a', 1)", ct);
            throw new InvalidOperationException("stop");
        }, CancellationToken.None));

        Assert.Empty(await ReadAllAsync(metadata));
    }
}
