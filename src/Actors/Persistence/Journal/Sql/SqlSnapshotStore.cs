using System.Data.Common;
using AlgoPerf.Actors.Persistence.Journal.Snapshots;

namespace AlgoPerf.Actors.Persistence.Journal.Sql;

/// <summary>The snapshot store of both dialects: one table in the journal's database, written through the store's writer.</summary>
internal sealed class SqlSnapshotStore(SqlStore store) : ISnapshotStore
{
    /// <summary>How many snapshots a load tries, newest first, before giving up (Akka's <c>max-load-attempts</c>).</summary>
    public const int MaxLoadAttempts = 3;

    /// <inheritdoc />
    public async Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentException.ThrowIfNullOrEmpty(metadata.PersistenceId);
        AlgoPerf.Contracts.Serialization.SerializedPayload payload;
        try
        {
            payload = store.Serializer.Serialize(snapshot);
        }
        catch (Exception ex)
        {
            throw new JournalRejectedException($"snapshot of '{metadata.PersistenceId}' at sequence number {metadata.SequenceNr} rejected: cannot serialize {snapshot?.GetType().Name ?? "null"}: {ex.Message}", ex);
        }

        await store.WriteAsync(
            async (connection, transaction) =>
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "INSERT INTO snapshots (persistence_id, sequence_nr, timestamp_ms, type_tag, type_version, payload) VALUES (@pid, @seq, @ts, @tag, @version, @payload) "
                    + "ON CONFLICT (persistence_id, sequence_nr) DO UPDATE SET timestamp_ms = excluded.timestamp_ms, type_tag = excluded.type_tag, type_version = excluded.type_version, payload = excluded.payload";
                SqlJournal.AddParameter(command, "pid", metadata.PersistenceId);
                SqlJournal.AddParameter(command, "seq", metadata.SequenceNr);
                SqlJournal.AddParameter(command, "ts", metadata.Timestamp.ToUnixTimeMilliseconds());
                SqlJournal.AddParameter(command, "tag", payload.TypeTag);
                SqlJournal.AddParameter(command, "version", payload.TypeVersion);
                SqlJournal.AddParameter(command, "payload", payload.Utf8Json);
                return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentNullException.ThrowIfNull(criteria);
        var candidates = new List<(long Seq, long Ts, string Tag, int Version, byte[] Payload)>();
        var connection = await store.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT sequence_nr, timestamp_ms, type_tag, type_version, payload FROM snapshots WHERE persistence_id = @pid" + Where(command, criteria)
                + " ORDER BY sequence_nr DESC LIMIT " + MaxLoadAttempts;
            SqlJournal.AddParameter(command, "pid", persistenceId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    candidates.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt32(3), reader.GetFieldValue<byte[]>(4)));
                }
            }
        }

        JournalCorruptEventException? last = null;
        foreach (var c in candidates)
        {
            try
            {
                var state = store.Serializer.Deserialize(c.Tag, c.Version, c.Payload);
                return new SelectedSnapshot(new SnapshotMetadata(persistenceId, c.Seq, DateTimeOffset.FromUnixTimeMilliseconds(c.Ts)), state);
            }
            catch (Exception ex) when (ex is InvalidDataException or NotSupportedException or ArgumentException or System.Text.Json.JsonException)
            {
                last = new JournalCorruptEventException(persistenceId, c.Seq, c.Tag, c.Version, $"snapshot unreadable: {ex.Message}", ex);
            }
        }

        return last is null ? null : throw last;
    }

    /// <inheritdoc />
    public Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return DeleteWhereAsync(metadata.PersistenceId, " AND sequence_nr = @seq", c => SqlJournal.AddParameter(c, "seq", metadata.SequenceNr), cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        return DeleteWhereAsync(persistenceId, null, c => c.CommandText += Where(c, criteria), cancellationToken);
    }

    private static string Where(DbCommand command, SnapshotSelectionCriteria criteria)
    {
        SqlJournal.AddParameter(command, "minseq", criteria.MinSequenceNr);
        SqlJournal.AddParameter(command, "maxseq", criteria.MaxSequenceNr);
        SqlJournal.AddParameter(command, "mints", criteria.MinTimestamp.ToUnixTimeMilliseconds());
        SqlJournal.AddParameter(command, "maxts", criteria.MaxTimestamp.ToUnixTimeMilliseconds());
        return " AND sequence_nr >= @minseq AND sequence_nr <= @maxseq AND timestamp_ms >= @mints AND timestamp_ms <= @maxts";
    }

    private async Task DeleteWhereAsync(string persistenceId, string? where, Action<DbCommand> configure, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        await store.WriteAsync(
            async (connection, transaction) =>
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "DELETE FROM snapshots WHERE persistence_id = @pid" + where;
                SqlJournal.AddParameter(command, "pid", persistenceId);
                configure(command);
                return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }
}
