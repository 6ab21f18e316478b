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

    /// <summary>The file of a SQLite store (null for PostgreSQL).</summary>
    public string? SqliteFile => Kind == JournalKind.Sqlite ? new SqliteConnectionStringBuilder(ConnectionString).DataSource : null;

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
