using Microsoft.Data.Sqlite;

namespace Strata.Images.Tests.Metadata;

/// <summary>
/// The store's SQLite settings are made once per pooled handle, not at every connection: a
/// connection the pool hands out again, and one made after the pool was emptied, still has them.
/// </summary>
public sealed class ConnectionSettingsTests
{
    [Fact]
    public async Task New_and_reused_connections_all_have_the_stores_settings()
    {
        await using var temp = await TempStore.CreateAsync();
        var metadata = temp.Store.Metadata;
        var settings = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            // The third time after the pool dropped its handles: a fresh one is set up again.
            if (i == 2) SqliteConnection.ClearPool(new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = metadata.Path, Pooling = true }.ToString()));
            settings.Add(await metadata.ReadAsync(async (c, ct) =>
            {
                var values = new List<long>();
                foreach (var pragma in new[] { "busy_timeout", "foreign_keys", "synchronous", "temp_store" })
                {
                    await using var cmd = c.CreateCommand();
                    cmd.CommandText = "PRAGMA " + pragma;
                    values.Add((long)(await cmd.ExecuteScalarAsync(ct))!);
                }
                return string.Join(',', values);
            }, CancellationToken.None));
        }

        Assert.Equal(["60000,1,1,2", "60000,1,1,2", "60000,1,1,2"], settings);
    }
}
