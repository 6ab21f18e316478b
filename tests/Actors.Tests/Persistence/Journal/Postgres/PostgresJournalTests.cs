using AlgoPerf.Actors.Persistence.Journal;
using AlgoPerf.Actors.Persistence.Journal.Postgres;
using AlgoPerf.Actors.Persistence.Journal.Query;
using AlgoPerf.Contracts.Serialization;
using Npgsql;

using AlgoPerf.Tests.Shared;

namespace AlgoPerf.Actors.Tests.Persistence.Journal.Postgres;

/// <summary>
/// The conformance suite on PostgreSQL (<c>ALGOPERF_TEST_PG</c>): a fresh schema per test, dropped afterwards, so
/// runs and tests never see each other's rows or notifications.
/// </summary>
[RequiresPostgres]
public sealed class PostgresJournalTests : JournalConformanceTests
{
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N")[..16];

    private static string ConnectionString => PostgresEnvironment.RequireConnectionString();

    protected override Task CreateDatabaseAsync() => Task.CompletedTask;

    protected override async Task DropDatabaseAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
        await command.ExecuteNonQueryAsync();
    }

    protected override Task<PersistenceStore> OpenStoreAsync(IEventSerializer serializer, TimeProvider timeProvider, QueryOptions queryOptions)
        => PersistenceStore.OpenPostgresAsync(new PostgresStoreOptions(ConnectionString) { Schema = _schema }, serializer, timeProvider, queryOptions);

    protected override async Task ConsumeOrderingAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand($"SELECT nextval(pg_get_serial_sequence('{_schema}.journal_events', 'ordering'))");
        await command.ExecuteScalarAsync();
    }
}
