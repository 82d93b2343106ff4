using Microsoft.Data.Sqlite;

namespace Strata.Images.Metadata;

/// <summary>
/// The write transaction an async flow runs in (<see cref="MetadataStore"/> joins reads and
/// writes started inside it), and what is to happen once it commits: a lease remembers a row as
/// written only when the row is really in the database.
/// </summary>
internal sealed class MetadataTransaction
{
    private List<Action>? _afterCommit;

    internal MetadataTransaction(SqliteConnection connection) => Connection = connection;

    internal SqliteConnection Connection { get; }

    /// <summary>Runs <paramref name="action"/> once this transaction has committed (never when it rolls back).</summary>
    internal void AfterCommit(Action action) => (_afterCommit ??= []).Add(action);

    /// <summary>The transaction committed: runs what waited for it, in order.</summary>
    internal void Committed()
    {
        if (_afterCommit is null) return;
        foreach (var action in _afterCommit) action();
    }
}
