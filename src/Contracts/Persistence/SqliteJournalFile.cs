using Microsoft.Data.Sqlite;

namespace AlgoPerf.Contracts.Persistence;

/// <summary>
/// Prepares the SQLite file of an embedded journal before the actor system opens it: refuses a file written by
/// another journal, and puts a new or existing file in WAL mode.
/// </summary>
/// <remarks>
/// Durability: <c>journal_mode = WAL</c> is stored in the file, so every connection the plugin opens uses it;
/// <c>synchronous</c> stays at SQLite's default, <c>FULL</c> (checked here), under which every commit is fsynced
/// before it returns, so an event Akka acknowledged survives kill -9 and power loss. WAL with FULL costs one fsync
/// per transaction and lets the read journal poll while the tuners write (the plugin batches writes into
/// transactions, so fsyncs are per batch, not per event).
/// </remarks>
public static class SqliteJournalFile
{
    /// <summary>The tables of the journal that AlgoPerf.Actors used before Akka.Persistence.Sql.</summary>
    private static readonly string[] s_oldTables = ["journal_events", "journal_streams"];

    /// <summary>
    /// Creates the file's directory, refuses a journal written by the old home-made runtime, and sets WAL mode.
    /// </summary>
    /// <returns>SQLite's <c>synchronous</c> level of a new connection (2 = FULL).</returns>
    /// <exception cref="InvalidDataException">The file is not a SQLite database, or it holds the old runtime's journal.</exception>
    public static long Prepare(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false }.ToString());
            connection.Open();
            using (var tables = connection.CreateCommand())
            {
                tables.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
                using var reader = tables.ExecuteReader();
                var names = new HashSet<string>(StringComparer.Ordinal);
                while (reader.Read())
                {
                    names.Add(reader.GetString(0));
                }

                if (s_oldTables.Any(names.Contains))
                {
                    throw new InvalidDataException(
                        $"{full}: this journal was written by AlgoPerf.Actors' own runtime (tables journal_events, journal_streams), which " +
                        "Akka.Persistence.Sql cannot read. Finish or score that run with the release that wrote it, or start this run in a new " +
                        "run directory (--run-dir); the file is left as it is.");
                }
            }

            using var wal = connection.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode = WAL";
            wal.ExecuteNonQuery();
            using var sync = connection.CreateCommand();
            sync.CommandText = "PRAGMA synchronous";
            return (long)sync.ExecuteScalar()!;
        }
        catch (SqliteException e)
        {
            throw new InvalidDataException($"{full}: not a usable SQLite journal: {e.Message}", e);
        }
    }
}
