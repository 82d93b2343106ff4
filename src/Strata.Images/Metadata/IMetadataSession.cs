namespace Strata.Images.Metadata;

/// <summary>
/// One unit of work on an owner's tables in <c>metadata.db</c>: a read (its own snapshot; WAL
/// readers never block writers) or a write (one <c>BEGIN IMMEDIATE</c> transaction, rolled back
/// when the work throws, retried once after freeing the space reserve on a full disk). The SQL
/// text is the owner's own and constant; every value goes through a named parameter
/// (<c>$name</c>). The store's connection is never handed out: this is all an owner can do.
/// </summary>
public interface IMetadataSession
{
    /// <summary>Runs a statement (or several, separated by <c>;</c>); returns the rows changed.</summary>
    Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters);

    /// <summary>Runs one prepared statement once per row of <paramref name="rows"/> (each binding the same names); returns the rows changed.</summary>
    Task<int> ExecuteEachAsync(string sql, IEnumerable<(string Name, object? Value)[]> rows, CancellationToken cancellationToken);

    /// <summary>Every row of a query, each turned into a <typeparamref name="T"/> by <paramref name="map"/>.</summary>
    Task<List<T>> QueryAsync<T>(string sql, Func<IMetadataRow, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters);
}
