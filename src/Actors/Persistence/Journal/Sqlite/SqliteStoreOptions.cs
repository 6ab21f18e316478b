namespace AlgoPerf.Actors.Persistence.Journal.Sqlite;

/// <summary>Settings of the SQLite store (HOCON <c>algoperf.persistence.sqlite</c>).</summary>
/// <param name="Path">The database file (journal, snapshots and leases in one file; created when missing).</param>
public sealed record SqliteStoreOptions(string Path)
{
    /// <summary>How long a connection waits for another process's lock before SQLITE_BUSY (PRAGMA busy_timeout). Default 5 s.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// PRAGMA synchronous: <c>FULL</c> (default) fsyncs the WAL on every commit, so an acknowledged write survives a power
    /// loss; <c>NORMAL</c> survives a process crash but may lose the last commits on power loss.
    /// </summary>
    public string Synchronous { get; init; } = "FULL";

    /// <summary>Most write requests (from any streams) committed together in one transaction by the writer (group commit). Default 256.</summary>
    public int MaxWritesPerTransaction { get; init; } = 256;

    /// <summary>Transient-error retries (SQLITE_BUSY / SQLITE_LOCKED when starting a write transaction). Default 5.</summary>
    public int MaxRetries { get; init; } = 5;
}
