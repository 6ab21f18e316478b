using Akka.Configuration;
using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Contracts.Persistence;
using Npgsql;

namespace AlgoPerf.Tests.Shared;

/// <summary>The two journal databases the persistence tests run against, each test on a store of its own.</summary>
public enum TestStore
{
    /// <summary>A SQLite file in a temporary directory.</summary>
    Sqlite,

    /// <summary>A fresh schema in the PostgreSQL server of <c>ALGOPERF_TEST_PG</c> (scripts/test.sh starts one).</summary>
    Postgres,
}

/// <summary>
/// Creates an empty journal store for one test and the Akka configuration that uses it (the product's
/// <c>reference.conf</c> with the store's connection). Theories take <see cref="Stores"/> so SQLite and PostgreSQL
/// run the same tests; without <c>ALGOPERF_TEST_PG</c> PostgreSQL fails the test (CI sets it; never skipped).
/// </summary>
public sealed class TestDatabase : IDisposable
{
    private readonly string? _directory;
    private readonly string? _schema;

    private TestDatabase(TestStore kind)
    {
        Kind = kind;
        if (kind == TestStore.Sqlite)
        {
            _directory = Path.Combine(Path.GetTempPath(), "algoperf-journal-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(_directory);
            var file = Path.Combine(_directory, "journal.db");
            SqliteJournalFile.Prepare(file);
            Store = JournalStore.Sqlite(file);
        }
        else
        {
            var connection = PostgresEnvironment.RequireConnectionString();
            _schema = "t_" + Guid.NewGuid().ToString("N");
            Execute(connection, $"CREATE SCHEMA {_schema}");
            Store = JournalStore.Postgres(connection, _schema);
        }
    }

    /// <summary>Both stores, for <c>[MemberData]</c>.</summary>
    public static TheoryData<TestStore> Stores => new() { TestStore.Sqlite, TestStore.Postgres };

    /// <summary>The kind.</summary>
    public TestStore Kind { get; }

    /// <summary>The store.</summary>
    public JournalStore Store { get; }

    /// <summary>The directory of a SQLite store (null for PostgreSQL).</summary>
    public string? SqliteDirectory => _directory;

    /// <summary>An empty store of <paramref name="kind"/>.</summary>
    public static TestDatabase Create(TestStore kind) => new(kind);

    /// <summary>
    /// The product's configuration on this store, with <paramref name="extra"/> HOCON on top (e.g. a TestKit journal).
    /// </summary>
    public Config Config(string extra = "") =>
        ConfigurationFactory.ParseString(extra).WithFallback(Store.ToConfig()).WithFallback(AlgoPerfConfig.Reference);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_directory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                System.IO.Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A connection still closing; the temporary directory is left behind.
            }
        }
        else if (_schema is not null)
        {
            Execute(Store.ConnectionString, $"DROP SCHEMA {_schema} CASCADE");
        }
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
