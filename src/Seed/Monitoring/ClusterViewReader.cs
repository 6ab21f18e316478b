using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Persistence;
using AlgoPerf.Contracts.Serialization;
using Npgsql;

namespace AlgoPerf.Seed.Monitoring;

/// <summary>
/// Reads a cluster's <see cref="ClusterView"/> (the coordinator's snapshot of stream <c>cluster/&lt;benchmark&gt;</c>)
/// from a PostgreSQL journal's snapshot table, read-only.
/// </summary>
public static class ClusterViewReader
{
    /// <summary>A view older than this means no coordinator is running (it writes one at least every 10 s).</summary>
    public static TimeSpan Fresh { get; } = TimeSpan.FromSeconds(30);

    /// <summary>The latest view of <paramref name="benchmark"/> (any benchmark's when null); null when the journal holds none.</summary>
    public static async Task<ClusterView?> ReadAsync(JournalStore journal, string? benchmark, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        if (journal.Kind != JournalKind.Postgres)
        {
            return null;
        }

        var table = journal.Schema is { } schema ? $"\"{schema}\".snapshot" : "snapshot";
        await using var connection = new NpgsqlConnection(journal.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT manifest, snapshot FROM {table} WHERE persistence_id {(benchmark is null ? "LIKE 'cluster/%'" : "= @id")} ORDER BY created DESC LIMIT 1";
        if (benchmark is not null)
        {
            command.Parameters.AddWithValue("id", "cluster/" + benchmark);
        }

        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var manifest = reader.GetString(0);
            var bytes = (byte[])reader[1];
            var slash = manifest.LastIndexOf("/v", StringComparison.Ordinal);
            if (slash < 0 || !int.TryParse(manifest.AsSpan(slash + 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidDataException($"{table}: the cluster view's manifest '{manifest}' is not tag/vN");
            }

            return JsonEventSerializer.ForContracts().Deserialize(manifest[..slash], version, bytes) as ClusterView
                ?? throw new InvalidDataException($"{table}: the cluster view's snapshot is a {manifest}, not a cluster-view");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // A journal no coordinator has written a snapshot to yet.
            return null;
        }
    }
}
