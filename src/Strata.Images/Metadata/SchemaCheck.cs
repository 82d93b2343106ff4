using Microsoft.Data.Sqlite;

namespace Strata.Images.Metadata;

/// <summary>
/// Whether a database already has what schema scripts of <c>CREATE ... IF NOT EXISTS</c> and
/// <c>DROP ... IF EXISTS</c> statements would make: then opening the store needs no write
/// transaction (every command used to take the store's write lock once at start only to find
/// every table there). A script with any other kind of statement is never taken as done.
/// </summary>
internal static class SchemaCheck
{
    /// <summary>True when every object the scripts create exists, none they drop does, and the version row is there.</summary>
    internal static async Task<bool> IsCurrentAsync(SqliteConnection connection, IEnumerable<string> scripts, CancellationToken cancellationToken)
    {
        var wanted = new List<string>();
        var gone = new List<string>();
        foreach (var script in scripts)
        {
            foreach (var statement in script.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var words = statement.Split([' ', '\t', '\r', '\n', '('], 9, StringSplitOptions.RemoveEmptyEntries);
                int at = words.Length > 1 && words[0] == "CREATE" && words[1] == "UNIQUE" ? 1 : 0;
                if (words.Length > at + 5 && words[0] == "CREATE" && words[at + 1] is "TABLE" or "INDEX" && words[at + 2] == "IF" && words[at + 3] == "NOT" && words[at + 4] == "EXISTS")
                    wanted.Add(words[at + 5]);
                else if (words.Length > 4 && words[0] == "DROP" && words[1] is "TABLE" or "INDEX" && words[2] == "IF" && words[3] == "EXISTS")
                    gone.Add(words[4]);
                else
                    return false;
            }
        }
        var present = new HashSet<string>(
            await MetadataStore.QueryAsync(connection, "SELECT name FROM sqlite_master WHERE type IN ('table', 'index')", r => r.GetString(0), cancellationToken).ConfigureAwait(false),
            StringComparer.OrdinalIgnoreCase);
        if (!wanted.All(present.Contains) || gone.Any(present.Contains)) return false;
        await using var cmd = MetadataStore.Command(connection, "SELECT COUNT(*) FROM schema_version");
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }
}
