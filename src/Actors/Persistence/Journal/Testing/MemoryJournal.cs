using System.Runtime.CompilerServices;
using AlgoPerf.Contracts.Serialization;

namespace AlgoPerf.Actors.Persistence.Journal.Testing;

/// <summary>
/// An in-memory <see cref="IJournal"/> for tests (Akka's in-memory journal): the same contract as the SQL journals
/// (sequence checks, fencing epochs, deletes that keep the highest sequence number), nothing on disk. With a
/// serializer every payload is round-tripped through it, so a payload the real journal would reject is rejected here too.
/// </summary>
public sealed class MemoryJournal : IJournal
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StreamState> _streams = new(StringComparer.Ordinal);
    private readonly IEventSerializer? _serializer;
    private readonly TimeProvider _time;
    private long _ordering;

    /// <summary>Creates an empty journal.</summary>
    /// <param name="serializer">Round-trips payloads when given; null stores the objects as they are.</param>
    /// <param name="timeProvider">Clock for timestamps; null for the system clock.</param>
    public MemoryJournal(IEventSerializer? serializer = null, TimeProvider? timeProvider = null)
    {
        _serializer = serializer;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public Task<WriteResult> WriteAsync(AtomicWrite write, CancellationToken cancellationToken = default)
    {
        AtomicWriteValidation.Validate(write);
        cancellationToken.ThrowIfCancellationRequested();
        var stored = new (PendingEvent Event, object Payload, string Tag, int Version)[write.Events.Count];
        for (var i = 0; i < stored.Length; i++)
        {
            var pending = write.Events[i];
            try
            {
                if (_serializer is null)
                {
                    stored[i] = (pending, pending.Payload ?? throw new ArgumentException("payload is null"), pending.Payload.GetType().Name, 1);
                }
                else
                {
                    var serialized = _serializer.Serialize(pending.Payload);
                    stored[i] = (pending, _serializer.Deserialize(serialized.TypeTag, serialized.TypeVersion, serialized.Utf8Json), serialized.TypeTag, serialized.TypeVersion);
                }
            }
            catch (Exception ex)
            {
                throw AtomicWriteValidation.SerializationRejected(write.PersistenceId, pending, ex);
            }
        }

        var timestamp = DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds());
        lock (_gate)
        {
            var stream = _streams.TryGetValue(write.PersistenceId, out var existing) ? existing : new StreamState();
            if (write.WriterEpoch < stream.Epoch)
            {
                throw new JournalFencedException(write.PersistenceId, write.WriterEpoch, stream.Epoch);
            }

            if (write.LowestSequenceNr != stream.Highest + 1)
            {
                throw new JournalSequenceConflictException(write.PersistenceId, stream.Highest + 1, write.LowestSequenceNr);
            }

            var orderings = new long[stored.Length];
            for (var i = 0; i < stored.Length; i++)
            {
                var (pending, payload, tag, version) = stored[i];
                orderings[i] = ++_ordering;
                stream.Events.Add(new PersistentRepresentation(write.PersistenceId, pending.SequenceNr, orderings[i], [.. pending.Tags ?? []], tag, version, payload, write.WriterEpoch, timestamp));
            }

            stream.Highest = write.HighestSequenceNr;
            stream.Epoch = Math.Max(stream.Epoch, write.WriterEpoch);
            _streams[write.PersistenceId] = stream;
            return Task.FromResult(new WriteResult(orderings));
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<PersistentRepresentation> ReplayAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        PersistentRepresentation[] events;
        lock (_gate)
        {
            events = _streams.TryGetValue(persistenceId, out var stream) ? stream.Range(Math.Max(fromSequenceNr, stream.DeletedTo + 1), toSequenceNr, max) : [];
        }

        foreach (var e in events)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return e;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        lock (_gate)
        {
            return Task.FromResult(_streams.TryGetValue(persistenceId, out var stream) ? stream.Highest : 0);
        }
    }

    /// <inheritdoc />
    public Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        lock (_gate)
        {
            if (_streams.TryGetValue(persistenceId, out var stream))
            {
                stream.DeletedTo = Math.Max(stream.DeletedTo, Math.Min(toSequenceNr, stream.Highest));
            }
        }

        return Task.CompletedTask;
    }

    private sealed class StreamState
    {
        public List<PersistentRepresentation> Events { get; } = [];

        public long Highest { get; set; }

        public long Epoch { get; set; }

        public long DeletedTo { get; set; }

        /// <summary>Events from..to, at most max: a binary search for the first (the list is in sequence order), so a
        /// recovery that pages through a long stream costs the stream's length, not its square.</summary>
        public PersistentRepresentation[] Range(long from, long to, long max)
        {
            var (lo, hi) = (0, Events.Count);
            while (lo < hi)
            {
                var mid = lo + ((hi - lo) / 2);
                (lo, hi) = Events[mid].SequenceNr < from ? (mid + 1, hi) : (lo, mid);
            }

            var result = new List<PersistentRepresentation>();
            for (var i = lo; i < Events.Count && Events[i].SequenceNr <= to && result.Count < max; i++)
            {
                result.Add(Events[i]);
            }

            return [.. result];
        }
    }
}
