using AlgoPerf.Actors.Persistence.Journal;
using AlgoPerf.Actors.Persistence.Journal.Query;
using AlgoPerf.Contracts.Serialization;
using AlgoPerf.Actors.Persistence.Journal.Sqlite;
using Microsoft.Data.Sqlite;

namespace AlgoPerf.Actors.Tests.Persistence.Journal.Sqlite;

/// <summary>The conformance suite on SQLite: a temporary database file per test.</summary>
public class SqliteJournalTests : JournalConformanceTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "algoperf-journal-" + Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_directory, "journal.db");

    protected override Task CreateDatabaseAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.CompletedTask;
    }

    protected override Task DropDatabaseAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    protected override Task<PersistenceStore> OpenStoreAsync(IEventSerializer serializer, TimeProvider timeProvider, QueryOptions queryOptions)
        => PersistenceStore.OpenSqliteAsync(new SqliteStoreOptions(DatabasePath), serializer, timeProvider, queryOptions);

    protected override async Task ConsumeOrderingAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = 'journal_events'";
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task Open_File_UsesWalAndRecordsSchemaVersionOnce()
    {
        await using (await PersistenceStore.OpenSqliteAsync(new SqliteStoreOptions(DatabasePath)))
        {
        }

        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var mode = connection.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", await mode.ExecuteScalarAsync());
        await using var versions = connection.CreateCommand();
        versions.CommandText = "SELECT group_concat(version) FROM schema_version";
        Assert.Equal("1", await versions.ExecuteScalarAsync());
    }

    [Fact]
    public async Task SnapshotsAndJournal_WrittenConcurrently_DoNotCollide()
    {
        var writes = Enumerable.Range(0, 50).Select(i => i % 2 == 0
            ? Journal.WriteAsync(new AtomicWrite($"s-{i}", 0, [new PendingEvent(1, new Counted("x", i))]))
            : Store.Snapshots.SaveAsync(new(($"s-{i}"), 1, Time.GetUtcNow()), new CounterState(i)));

        await Task.WhenAll(writes);

        Assert.Equal(1, await Journal.ReadHighestSequenceNrAsync("s-48"));
        Assert.Equal(new CounterState(49), (await Store.Snapshots.LoadAsync("s-49", AlgoPerf.Actors.Persistence.Journal.Snapshots.SnapshotSelectionCriteria.Latest))?.Snapshot);
    }
}

/// <summary>The conformance suite on SQLite through the circuit-breaking decorators.</summary>
public sealed class SqliteJournalBehindCircuitBreakerTests : SqliteJournalTests
{
    protected override bool BehindCircuitBreakers => true;
}
