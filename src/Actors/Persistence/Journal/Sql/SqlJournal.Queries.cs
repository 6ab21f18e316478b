using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AlgoPerf.Actors.Persistence.Journal.Query;

namespace AlgoPerf.Actors.Persistence.Journal.Sql;

/// <summary>The queries: all events and events by tag from an ordering offset, current or live, with gap detection.</summary>
internal sealed partial class SqlJournal
{
    /// <inheritdoc />
    public IAsyncEnumerable<PersistentRepresentation> AllEventsAsync(long afterOrdering, QueryMode mode, CancellationToken cancellationToken = default)
        => QueryAsync(null, afterOrdering, mode, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<PersistentRepresentation> EventsByTagAsync(string tag, long afterOrdering, QueryMode mode, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        return QueryAsync(tag, afterOrdering, mode, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<long> ReadHighestOrderingAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _store.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT COALESCE(MAX(ordering), 0) FROM journal_events";
            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return Convert.ToInt64(value, CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// The query loop. Two cursors: the <em>watermark</em>, the highest ordering below which every ordering is either
    /// present or given up on (a gap waited out), and <em>delivered</em>, the last ordering handed out. Events are only
    /// delivered up to the watermark, so an event committed late into a gap is still delivered in order; an ordering
    /// never delivered twice because <em>delivered</em> only grows.
    /// </summary>
    private async IAsyncEnumerable<PersistentRepresentation> QueryAsync(string? tag, long afterOrdering, QueryMode mode, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterOrdering);
        var options = _store.QueryOptions;
        var stopAt = mode == QueryMode.Current ? await ReadHighestOrderingAsync(cancellationToken).ConfigureAwait(false) : long.MaxValue;
        var gap = new GapTracker(_store.Time, options);
        var watermark = afterOrdering;
        var delivered = afterOrdering;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var advance = await AdvanceWatermarkAsync(watermark, stopAt, gap, cancellationToken).ConfigureAwait(false);
            watermark = advance.Watermark;

            var batch = await ReadBatchAsync(tag, delivered, watermark, cancellationToken).ConfigureAwait(false);
            foreach (var row in batch)
            {
                delivered = row.Ordering;
                yield return row;
            }

            if (batch.Count == options.BatchSize)
            {
                continue;
            }

            delivered = watermark;
            if (advance.MoreAvailable)
            {
                continue;
            }

            if (mode == QueryMode.Current && watermark >= stopAt)
            {
                yield break;
            }

            if (advance.BlockedByGap)
            {
                await Task.Delay(options.PollInterval, _store.Time, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _store.WaitForChangeAsync(options.PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<WatermarkAdvance> AdvanceWatermarkAsync(long watermark, long stopAt, GapTracker gap, CancellationToken cancellationToken)
    {
        var batchSize = _store.QueryOptions.BatchSize;
        var connection = await _store.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT ordering FROM journal_events WHERE ordering > @after AND ordering <= @stop ORDER BY ordering LIMIT @limit";
            AddParameter(command, "after", watermark);
            AddParameter(command, "stop", stopAt);
            AddParameter(command, "limit", batchSize);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var count = 0;
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    count++;
                    var ordering = reader.GetInt64(0);
                    if (ordering != watermark + 1 && !gap.CanSkip(watermark + 1))
                    {
                        return new WatermarkAdvance(watermark, MoreAvailable: false, BlockedByGap: true);
                    }

                    watermark = ordering;
                }

                return new WatermarkAdvance(watermark, MoreAvailable: count == batchSize, BlockedByGap: false);
            }
        }
    }

    private async Task<List<PersistentRepresentation>> ReadBatchAsync(string? tag, long after, long upTo, CancellationToken cancellationToken)
    {
        var rows = new List<PersistentRepresentation>();
        if (upTo <= after)
        {
            return rows;
        }

        var connection = await _store.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = tag is null
                ? $"SELECT {EventColumns} FROM journal_events WHERE ordering > @after AND ordering <= @upto AND NOT deleted ORDER BY ordering LIMIT @limit"
                : $"SELECT e.ordering, e.persistence_id, e.sequence_nr, e.writer_epoch, e.timestamp_ms, e.type_tag, e.type_version, e.tags, e.payload "
                    + "FROM journal_tags t JOIN journal_events e ON e.ordering = t.ordering "
                    + "WHERE t.tag = @tag AND t.ordering > @after AND t.ordering <= @upto AND NOT e.deleted ORDER BY t.ordering LIMIT @limit";
            AddParameter(command, "after", after);
            AddParameter(command, "upto", upTo);
            AddParameter(command, "limit", _store.QueryOptions.BatchSize);
            if (tag is not null)
            {
                AddParameter(command, "tag", tag);
            }

            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(ReadEvent(reader));
                }
            }
        }

        return rows;
    }

    /// <summary>Reads one row of <see cref="EventColumns"/>; an unreadable payload names the record.</summary>
    private PersistentRepresentation ReadEvent(DbDataReader reader, string? knownPersistenceId = null) =>
        Materialize(ReadRow(reader, knownPersistenceId));

    /// <summary>The columns of one row of <see cref="EventColumns"/>, payload and tags still serialized.</summary>
    private static StoredRow ReadRow(DbDataReader reader, string? knownPersistenceId) => new(
        reader.GetInt64(0),
        knownPersistenceId ?? reader.GetString(1),
        reader.GetInt64(2),
        reader.GetInt64(3),
        reader.GetInt64(4),
        reader.GetString(5),
        reader.GetInt32(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.GetFieldValue<byte[]>(8));

    /// <summary>Deserializes a stored row; an unreadable payload or tag list names the record.</summary>
    private PersistentRepresentation Materialize(StoredRow row)
    {
        IReadOnlyList<string> tags = [];
        object payload;
        try
        {
            if (row.TagsJson is not null)
            {
                tags = JsonSerializer.Deserialize(row.TagsJson, JournalJson.Default.StringArray) ?? [];
            }

            payload = _store.Serializer.Deserialize(row.TypeTag, row.TypeVersion, row.Payload);
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException or NotSupportedException or ArgumentException)
        {
            throw new JournalCorruptEventException(row.PersistenceId, row.SequenceNr, row.TypeTag, row.TypeVersion, ex.Message, ex);
        }

        return new PersistentRepresentation(row.PersistenceId, row.SequenceNr, row.Ordering, tags, row.TypeTag, row.TypeVersion, payload, row.WriterEpoch, DateTimeOffset.FromUnixTimeMilliseconds(row.TimestampMs));
    }

    /// <summary>
    /// Deserializes <paramref name="rows"/> on several threads when there are enough of them to pay for it (recovery of a
    /// long stream is JSON-bound). Each slot holds the event or the exception its row raised, so the caller delivers
    /// events in order and throws at the first unreadable one, exactly as a sequential read would.
    /// </summary>
    private (PersistentRepresentation? Event, Exception? Error)[] MaterializeAll(List<StoredRow> rows)
    {
        var results = new (PersistentRepresentation?, Exception?)[rows.Count];
        void One(int i)
        {
            try
            {
                results[i] = (Materialize(rows[i]), null);
            }
            catch (JournalCorruptEventException ex)
            {
                results[i] = (null, ex);
            }
        }

        if (rows.Count < ParallelReplayThreshold || Environment.ProcessorCount == 1)
        {
            for (var i = 0; i < rows.Count; i++)
            {
                One(i);
            }
        }
        else
        {
            Parallel.For(0, rows.Count, One);
        }

        return results;
    }

    /// <summary>One stored event before deserialization.</summary>
    private sealed record StoredRow(long Ordering, string PersistenceId, long SequenceNr, long WriterEpoch, long TimestampMs, string TypeTag, int TypeVersion, string? TagsJson, byte[] Payload);

    private readonly record struct WatermarkAdvance(long Watermark, bool MoreAvailable, bool BlockedByGap);
}
