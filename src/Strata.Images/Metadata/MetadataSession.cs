using Microsoft.Data.Sqlite;

namespace Strata.Images.Metadata;

/// <summary><see cref="IMetadataSession"/> over one of the store's connections (inside its transaction, for a write).</summary>
internal sealed class MetadataSession : IMetadataSession
{
    private readonly SqliteConnection _connection;

    internal MetadataSession(SqliteConnection connection) => _connection = connection;

    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var cmd = MetadataStore.Command(_connection, sql, parameters);
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> ExecuteEachAsync(string sql, IEnumerable<(string Name, object? Value)[]> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        SqliteCommand? cmd = null;
        int changed = 0;
        try
        {
            // One prepared statement, rebound per row: tens of thousands of rows in well under a second.
            foreach (var row in rows)
            {
                if (cmd is null) cmd = MetadataStore.Command(_connection, sql, row);
                else foreach (var (name, value) in row) cmd.Parameters[name].Value = value ?? DBNull.Value;
                changed += await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (cmd is not null) await cmd.DisposeAsync().ConfigureAwait(false);
        }
        return changed;
    }

    public Task<List<T>> QueryAsync<T>(string sql, Func<IMetadataRow, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(map);
        return MetadataStore.QueryAsync(_connection, sql, r => map(new Row(r)), cancellationToken, parameters);
    }

    private sealed class Row(SqliteDataReader reader) : IMetadataRow
    {
        public bool IsNull(int column) => reader.IsDBNull(column);

        public string GetString(int column) => reader.GetString(column);

        public long GetInt64(int column) => reader.GetInt64(column);
    }
}
