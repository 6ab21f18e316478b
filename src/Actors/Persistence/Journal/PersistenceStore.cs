using AlgoPerf.Actors.Leases;
using AlgoPerf.Actors.Persistence.Journal.Postgres;
using AlgoPerf.Actors.Persistence.Journal.Query;
using AlgoPerf.Contracts.Serialization;
using AlgoPerf.Actors.Persistence.Journal.Snapshots;
using AlgoPerf.Actors.Persistence.Journal.Sql;
using AlgoPerf.Actors.Persistence.Journal.Sqlite;

namespace AlgoPerf.Actors.Persistence.Journal;

/// <summary>
/// One opened database with its journal, queries, snapshot store and leases (the composition root opens one per
/// process and hands the parts to the actors). <see cref="OpenSqliteAsync"/> is the embedded default;
/// <see cref="OpenPostgresAsync"/> is for clusters. Opening applies the versioned schema.
/// </summary>
public sealed class PersistenceStore : IAsyncDisposable
{
    private readonly SqlStore _store;

    private PersistenceStore(SqlStore store)
    {
        _store = store;
        var journal = new SqlJournal(store);
        Journal = journal;
        Queries = journal;
        Snapshots = new SqlSnapshotStore(store);
        Leases = new SqlLeaseStore(store);
    }

    /// <summary>The event journal.</summary>
    public IJournal Journal { get; }

    /// <summary>Queries over the journal (all events, events by tag; current or live).</summary>
    public IEventQueries Queries { get; }

    /// <summary>The snapshot store (same database).</summary>
    public ISnapshotStore Snapshots { get; }

    /// <summary>Leases with fencing epochs (same database).</summary>
    public ILeaseStore Leases { get; }

    /// <summary>The dialect: <c>sqlite</c> or <c>postgres</c>.</summary>
    public string Dialect => _store.DialectName;

    /// <summary>Opens (creating when missing) a SQLite database file.</summary>
    /// <param name="options">The file and SQLite settings.</param>
    /// <param name="serializer">Payload serializer; null for every event of <c>AlgoPerf.Contracts</c>.</param>
    /// <param name="timeProvider">Clock for timestamps, lease expiry and polling; null for the system clock.</param>
    /// <param name="queryOptions">Query tuning; null for <see cref="QueryOptions.Default"/>.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The store.</returns>
    public static async Task<PersistenceStore> OpenSqliteAsync(SqliteStoreOptions options, IEventSerializer? serializer = null, TimeProvider? timeProvider = null, QueryOptions? queryOptions = null, CancellationToken cancellationToken = default)
        => new(await SqliteStore.OpenAsync(options, serializer ?? JsonEventSerializer.ForContracts(), timeProvider ?? TimeProvider.System, queryOptions ?? QueryOptions.Default, cancellationToken).ConfigureAwait(false));

    /// <summary>Opens a PostgreSQL database (creating the schema and tables when missing).</summary>
    /// <param name="options">Connection string, schema and retry settings.</param>
    /// <param name="serializer">Payload serializer; null for every event of <c>AlgoPerf.Contracts</c>.</param>
    /// <param name="timeProvider">Clock for timestamps, lease expiry and polling; null for the system clock.</param>
    /// <param name="queryOptions">Query tuning; null for <see cref="QueryOptions.Default"/>.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The store.</returns>
    public static async Task<PersistenceStore> OpenPostgresAsync(PostgresStoreOptions options, IEventSerializer? serializer = null, TimeProvider? timeProvider = null, QueryOptions? queryOptions = null, CancellationToken cancellationToken = default)
        => new(await PostgresStore.OpenAsync(options, serializer ?? JsonEventSerializer.ForContracts(), timeProvider ?? TimeProvider.System, queryOptions ?? QueryOptions.Default, cancellationToken).ConfigureAwait(false));

    /// <summary>Closes the database (the SQLite writer finishes queued writes first).</summary>
    /// <returns>A task that completes when closed.</returns>
    public ValueTask DisposeAsync() => _store.DisposeAsync();
}
