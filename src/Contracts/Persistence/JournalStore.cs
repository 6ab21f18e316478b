using Akka.Configuration;
using Microsoft.Data.Sqlite;

namespace AlgoPerf.Contracts.Persistence;

/// <summary>The database kinds of the journal (Akka.Persistence.Sql over Linq2Db).</summary>
public enum JournalKind
{
    /// <summary>A SQLite file (the embedded default: one host, the run directory's <c>journal.db</c>).</summary>
    Sqlite,

    /// <summary>A PostgreSQL database (clusters).</summary>
    Postgres,
}

/// <summary>
/// Where the journal, the snapshot store and the read journal of an actor system live: the Akka.Persistence.Sql
/// plugins (configured in <c>hocon/reference.conf</c> under <c>akka.persistence</c>) pointed at one database.
/// </summary>
/// <param name="Kind">The database kind.</param>
/// <param name="ConnectionString">The ADO.NET connection string (Microsoft.Data.Sqlite or Npgsql).</param>
/// <param name="Schema">The PostgreSQL schema of the tables (null: <c>public</c>); the schema must exist.</param>
public sealed record JournalStore(JournalKind Kind, string ConnectionString, string? Schema = null)
{
    /// <summary>The Linq2Db provider name of <see cref="Kind"/>.</summary>
    public string ProviderName => Kind switch
    {
        JournalKind.Sqlite => "SQLite.MS",
        _ => "PostgreSQL.15",
    };

    /// <summary>The environment variable that may hold the journal's PostgreSQL connection string.</summary>
    public const string ConnectionVariable = "ALGOPERF_JOURNAL";

    /// <summary>
    /// The journal a process uses: <paramref name="connectionOverride"/> (a <c>--journal</c> flag or
    /// <see cref="ConnectionVariable"/>) is a PostgreSQL connection string and wins; otherwise
    /// <c>algoperf.journal.store</c> decides: <c>sqlite</c> is <paramref name="runDirectory"/>'s <c>journal.db</c>,
    /// <c>postgres</c> needs <c>algoperf.journal.connection-string</c>.
    /// </summary>
    /// <exception cref="InvalidDataException">An unknown store or a missing connection string, naming file and key.</exception>
    public static JournalStore FromConfig(Config config, string source, string runDirectory, string? connectionOverride)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(runDirectory);
        if (!string.IsNullOrWhiteSpace(connectionOverride))
        {
            return Postgres(connectionOverride);
        }

        var j = new Configuration.ConfigReader(config, source, "algoperf.journal");
        var store = j.String("store");
        switch (store)
        {
            case "sqlite":
                return Sqlite(Path.Combine(runDirectory, "journal.db"));
            case "postgres":
                var connection = j.Has("connection-string") ? j.String("connection-string") : string.Empty;
                j.Require(connection.Length > 0, "connection-string", $"missing: the PostgreSQL journal needs a connection string (give --journal or {ConnectionVariable}, never a password in a file under git)");
                return Postgres(connection);
            default:
                throw j.Error("store", $"must be sqlite or postgres (got {store})");
        }
    }

    /// <summary>A SQLite journal in the file <paramref name="path"/>.</summary>
    public static JournalStore Sqlite(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new JournalStore(JournalKind.Sqlite, new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(path) }.ToString());
    }

    /// <summary>A PostgreSQL journal at <paramref name="connectionString"/>.</summary>
    public static JournalStore Postgres(string connectionString, string? schema = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new JournalStore(JournalKind.Postgres, connectionString, schema);
    }

    /// <summary>
    /// The configuration that points the three plugins at this database (to layer over
    /// <see cref="Configuration.AlgoPerfConfig.Reference"/>).
    /// </summary>
    public Config ToConfig()
    {
        var connection = Quote(ConnectionString);
        var provider = Quote(ProviderName);
        var schema = Schema is null ? string.Empty : $"default.schema-name = {Quote(Schema)}";
        return ConfigurationFactory.ParseString($$"""
            akka.persistence.journal.sql { connection-string = {{connection}}, provider-name = {{provider}}, {{schema}} }
            akka.persistence.snapshot-store.sql { connection-string = {{connection}}, provider-name = {{provider}}, {{schema}} }
            akka.persistence.query.journal.sql { connection-string = {{connection}}, provider-name = {{provider}}, {{schema}} }
            """);
    }

    /// <summary>
    /// The configuration of a reader that never writes: tables are not created (a missing table is an error, not a new
    /// one), and a SQLite file is opened read-only. For <c>algoperf status</c> and the dashboard of another process's run.
    /// </summary>
    public Config ToReadOnlyConfig()
    {
        var store = Kind == JournalKind.Sqlite
            ? this with { ConnectionString = new SqliteConnectionStringBuilder(ConnectionString) { Mode = SqliteOpenMode.ReadOnly }.ToString() }
            : this;
        return ConfigurationFactory.ParseString(
            "akka.persistence.journal.sql.auto-initialize = off\nakka.persistence.snapshot-store.sql.auto-initialize = off")
            .WithFallback(store.ToConfig());
    }

    /// <summary>The file of a SQLite store (null for PostgreSQL).</summary>
    public string? SqliteFile => Kind == JournalKind.Sqlite ? new SqliteConnectionStringBuilder(ConnectionString).DataSource : null;

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
