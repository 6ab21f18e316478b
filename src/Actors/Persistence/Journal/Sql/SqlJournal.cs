using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AlgoPerf.Actors.Persistence.Journal.Query;

namespace AlgoPerf.Actors.Persistence.Journal.Sql;

/// <summary>
/// The SQL journal shared by both dialects (as Akka's <c>Akka.Persistence.Sql.Common</c>): validation, serialization,
/// the stream checks (sequence numbers, fencing epoch), replay, deletes and the queries. The dialect supplies the
/// transaction runner and the bulk insert.
/// </summary>
internal sealed partial class SqlJournal : IJournal, IEventQueries
{
    /// <summary>Rows read before a replay deserializes and delivers them.</summary>
    private const int ReplayChunk = 1024;

    /// <summary>Fewest rows of a chunk that are deserialized in parallel.</summary>
    private const int ParallelReplayThreshold = 256;

    private const string EventColumns = "ordering, persistence_id, sequence_nr, writer_epoch, timestamp_ms, type_tag, type_version, tags, payload";

    private readonly SqlStore _store;

    public SqlJournal(SqlStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <inheritdoc />
    public async Task<WriteResult> WriteAsync(AtomicWrite write, CancellationToken cancellationToken = default)
    {
        var serialized = Serialize(write);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var orderings = await _store.WriteAsync((connection, transaction) => AppendAsync(connection, transaction, serialized), cancellationToken).ConfigureAwait(false);
            _store.SignalChanged();
            return new WriteResult(orderings);
        }
        catch (Exception ex) when (ex is JournalRejectedException or JournalWriteFailedException or OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex) when (_store.IsUniqueViolation(ex))
        {
            throw new JournalSequenceConflictException(
                $"journal write to '{write.PersistenceId}' sequence numbers {write.LowestSequenceNr}..{write.HighestSequenceNr} conflicts with stored events (another writer?)",
                ex);
        }
        catch (Exception ex)
        {
            throw new JournalWriteFailedException(
                $"journal write to '{write.PersistenceId}' sequence numbers {write.LowestSequenceNr}..{write.HighestSequenceNr} failed on {_store.DialectName}; the outcome is unknown: {ex.Message}",
                ex);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<PersistentRepresentation> ReplayAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        if (max <= 0 || toSequenceNr < fromSequenceNr)
        {
            yield break;
        }

        var connection = await _store.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {EventColumns} FROM journal_events WHERE persistence_id = @pid AND sequence_nr >= @from AND sequence_nr <= @to AND NOT deleted ORDER BY sequence_nr LIMIT @max";
            AddParameter(command, "pid", persistenceId);
            AddParameter(command, "from", fromSequenceNr);
            AddParameter(command, "to", toSequenceNr);
            AddParameter(command, "max", max);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                // Rows are read in chunks and each chunk deserialized on several cores (MaterializeAll), then delivered
                // in sequence order; an unreadable event still surfaces exactly where it is in the stream.
                var rows = new List<StoredRow>((int)Math.Min(max, ReplayChunk));
                var more = true;
                while (more)
                {
                    rows.Clear();
                    while (rows.Count < ReplayChunk && (more = await reader.ReadAsync(cancellationToken).ConfigureAwait(false)))
                    {
                        rows.Add(ReadRow(reader, persistenceId));
                    }

                    foreach (var (e, error) in MaterializeAll(rows))
                    {
                        if (error is not null)
                        {
                            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
                        }

                        yield return e!;
                    }
                }
            }
        }
    }

    /// <inheritdoc />
    public async Task<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        var connection = await _store.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT highest_sequence_nr FROM journal_streams WHERE persistence_id = @pid";
            AddParameter(command, "pid", persistenceId);
            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is null or DBNull ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <inheritdoc />
    public async Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        if (toSequenceNr <= 0)
        {
            return;
        }

        await _store.WriteAsync(
            async (connection, transaction) =>
            {
                using var events = connection.CreateCommand();
                events.Transaction = transaction;
                events.CommandText = "UPDATE journal_events SET deleted = TRUE WHERE persistence_id = @pid AND sequence_nr <= @to AND NOT deleted";
                AddParameter(events, "pid", persistenceId);
                AddParameter(events, "to", toSequenceNr);
                await events.ExecuteNonQueryAsync().ConfigureAwait(false);
                using var stream = connection.CreateCommand();
                stream.Transaction = transaction;
                stream.CommandText = "UPDATE journal_streams SET deleted_to = CASE WHEN @to < highest_sequence_nr THEN @to ELSE highest_sequence_nr END WHERE persistence_id = @pid AND deleted_to < @to";
                AddParameter(stream, "pid", persistenceId);
                AddParameter(stream, "to", toSequenceNr);
                await stream.ExecuteNonQueryAsync().ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    internal static void AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private SerializedWrite Serialize(AtomicWrite write)
    {
        AtomicWriteValidation.Validate(write);
        var events = new SerializedEvent[write.Events.Count];
        for (var i = 0; i < events.Length; i++)
        {
            var pending = write.Events[i];
            try
            {
                var payload = _store.Serializer.Serialize(pending.Payload);
                var tags = pending.Tags ?? [];
                events[i] = new SerializedEvent(pending.SequenceNr, payload, tags, tags.Count == 0 ? null : JsonSerializer.Serialize(tags, JournalJson.Default.IReadOnlyListString));
            }
            catch (Exception ex)
            {
                throw AtomicWriteValidation.SerializationRejected(write.PersistenceId, pending, ex);
            }
        }

        return new SerializedWrite(write.PersistenceId, write.WriterEpoch, events);
    }

    private async Task<IReadOnlyList<long>> AppendAsync(DbConnection connection, DbTransaction transaction, SerializedWrite write)
    {
        var (highest, epoch) = await _store.ReadStreamForAppendAsync(connection, transaction, write.PersistenceId).ConfigureAwait(false);
        if (write.WriterEpoch < epoch)
        {
            throw new JournalFencedException(write.PersistenceId, write.WriterEpoch, epoch);
        }

        if (write.LowestSequenceNr != highest + 1)
        {
            throw new JournalSequenceConflictException(write.PersistenceId, highest + 1, write.LowestSequenceNr);
        }

        var orderings = await _store.InsertEventsAsync(connection, transaction, write, _store.NowMs()).ConfigureAwait(false);
        await _store.UpsertStreamAsync(connection, transaction, write.PersistenceId, write.HighestSequenceNr, Math.Max(epoch, write.WriterEpoch)).ConfigureAwait(false);
        return orderings;
    }
}
