using Microsoft.Data.Sqlite;
using Strata.Images.Metadata;

namespace Strata.Images.Tests.Metadata;

/// <summary>
/// metadata.db's WAL file outlives the last connection (no directory fsync and unlink per
/// command), while what a command committed is still checkpointed into the database file when
/// its last connection closes, as before.
/// </summary>
public sealed class WalPersistenceTests
{
    private static readonly MetadataTables Notes = new("wal-notes", "CREATE TABLE IF NOT EXISTS wal_notes (name TEXT PRIMARY KEY);");

    [Fact]
    public async Task The_WAL_stays_when_the_last_connection_closes_and_the_database_file_alone_has_the_commit()
    {
        await using var temp = await TempStore.CreateAsync();
        string path = temp.Store.Metadata.Path;
        await temp.Store.Metadata.WriteAsync(Notes, (s, ct) => s.ExecuteAsync("INSERT INTO wal_notes (name) VALUES ('kept')", ct), CancellationToken.None);

        // What the end of a command does: every pooled connection of the store closes.
        SqliteConnection.ClearPool(new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString()));

        Assert.True(File.Exists(path + "-wal"), "the WAL was deleted at close");
        // The checkpoint at close still ran: a copy of the database file without its WAL has the row.
        string copy = Path.Combine(temp.Root, "copy.db");
        File.Copy(path, copy);
        await using var connection = new SqliteConnection($"Data Source={copy};Pooling=False");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT name FROM wal_notes";
        Assert.Equal("kept", await cmd.ExecuteScalarAsync());
    }
}
