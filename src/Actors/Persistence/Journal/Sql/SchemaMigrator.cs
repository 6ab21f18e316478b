using System.Data.Common;
using System.Globalization;
using System.Reflection;

namespace AlgoPerf.Actors.Persistence.Journal.Sql;

/// <summary>
/// Applies the versioned schema scripts of a dialect (embedded resources <c>Schema/{Dialect}/NNN_name.sql</c>) that the
/// database has not seen yet, recording each in <c>schema_version</c>. Idempotent: opening a store twice, or from two
/// processes at once, applies each script exactly once (SQLite: the write lock of <c>BEGIN IMMEDIATE</c>; PostgreSQL:
/// a transaction-scoped advisory lock).
/// </summary>
internal static class SchemaMigrator
{
    private const string ResourcePrefix = "AlgoPerf.Journal.Schema.";

    /// <summary>The scripts of one dialect, ordered by version.</summary>
    public static IReadOnlyList<SchemaScript> Scripts(string dialect)
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var prefix = ResourcePrefix + dialect + "/";
        var scripts = new List<SchemaScript>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var file = name[prefix.Length..];
            var underscore = file.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(file[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"schema resource '{name}' is not named NNN_description.sql");
            }

            scripts.Add(new SchemaScript(version, file, ReadResource(assembly, name)));
        }

        if (scripts.Count == 0)
        {
            throw new InvalidOperationException($"no schema scripts embedded for dialect '{dialect}' (expected resources '{prefix}NNN_name.sql')");
        }

        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        return scripts;
    }

    /// <summary>Applies the missing scripts on <paramref name="connection"/> in one transaction.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="dialect">Dialect folder name.</param>
    /// <param name="lockStatement">A statement that serializes concurrent migrators, or null.</param>
    /// <param name="nowMs">Timestamp recorded per applied script.</param>
    /// <param name="cancellationToken">Cancels the migration.</param>
    /// <returns>The versions applied now.</returns>
    public static async Task<IReadOnlyList<int>> ApplyAsync(DbConnection connection, string dialect, string? lockStatement, long nowMs, CancellationToken cancellationToken)
    {
        var scripts = Scripts(dialect);
        var applied = new List<int>();
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            if (lockStatement is not null)
            {
                await ExecuteAsync(connection, transaction, lockStatement, cancellationToken).ConfigureAwait(false);
            }

            await ExecuteAsync(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at_ms BIGINT NOT NULL)", cancellationToken).ConfigureAwait(false);
            long current;
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
                current = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            }

            foreach (var script in scripts.Where(s => s.Version > current))
            {
                await ExecuteAsync(connection, transaction, script.Sql, cancellationToken).ConfigureAwait(false);
                using var record = connection.CreateCommand();
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_version (version, name, applied_at_ms) VALUES (@version, @name, @at)";
                SqlJournal.AddParameter(record, "version", script.Version);
                SqlJournal.AddParameter(record, "name", script.Name);
                SqlJournal.AddParameter(record, "at", nowMs);
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                applied.Add(script.Version);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return applied;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"schema resource '{name}' is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>One schema script.</summary>
/// <param name="Version">Its version (the file's number).</param>
/// <param name="Name">The file name.</param>
/// <param name="Sql">The statements.</param>
internal sealed record SchemaScript(int Version, string Name, string Sql);
