using System.Runtime.InteropServices;

namespace Strata.Images.Metadata;

/// <summary>
/// <c>sqlite3_file_control</c>, which neither Microsoft.Data.Sqlite nor SQLitePCLRaw exposes,
/// bound to the same <c>e_sqlite3</c> library they load.
/// </summary>
internal static partial class SqliteFileControl
{
    /// <summary>SQLITE_FCNTL_PERSIST_WAL.</summary>
    private const int PersistWalOp = 10;

    /// <summary>
    /// Keeps the database's WAL file when its last connection closes (after the checkpoint that
    /// close does, as before). Without it every command that writes creates the WAL again, and
    /// SQLite then fsyncs the store's directory at the WAL's first sync, and deletes it with the
    /// shared-memory file at exit. What is durable when does not change: the same commits and
    /// checkpoints sync the same files. Returns SQLite's result code.
    /// </summary>
    public static int PersistWal(SQLitePCL.sqlite3 db)
    {
        ArgumentNullException.ThrowIfNull(db);
        int on = 1;
        try
        {
            return FileControl(db.DangerousGetHandle(), "main", PersistWalOp, ref on);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // An SQLite other than the bundled e_sqlite3: the WAL is deleted at exit, as before.
            return -1;
        }
    }

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_file_control", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int FileControl(IntPtr db, string name, int op, ref int arg);
}
