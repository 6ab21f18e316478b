namespace AlgoPerf.Actors.Persistence.Journal;

/// <summary>The checks every journal makes on an <see cref="AtomicWrite"/> before it touches storage.</summary>
internal static class AtomicWriteValidation
{
    /// <summary>Rejects an empty persistence id, an empty batch, a negative epoch or non-consecutive sequence numbers.</summary>
    /// <exception cref="JournalRejectedException">The batch is invalid.</exception>
    public static void Validate(AtomicWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (string.IsNullOrEmpty(write.PersistenceId))
        {
            throw new JournalRejectedException("journal write rejected: the persistence id is empty");
        }

        if (write.Events is null || write.Events.Count == 0)
        {
            throw new JournalRejectedException($"journal write to '{write.PersistenceId}' rejected: the batch is empty");
        }

        if (write.WriterEpoch < 0)
        {
            throw new JournalRejectedException($"journal write to '{write.PersistenceId}' rejected: writer epoch {write.WriterEpoch} is negative");
        }

        for (var i = 0; i < write.Events.Count; i++)
        {
            var pending = write.Events[i];
            var expected = write.Events[0].SequenceNr + i;
            if (pending is null || pending.SequenceNr != expected || pending.SequenceNr < 1)
            {
                throw new JournalRejectedException(
                    $"journal write to '{write.PersistenceId}' rejected: sequence numbers must be consecutive from >= 1 (event {i} has {pending?.SequenceNr}, expected {expected})");
            }
        }
    }

    /// <summary>The rejection for a payload the serializer refused.</summary>
    public static JournalRejectedException SerializationRejected(string persistenceId, PendingEvent pending, Exception cause)
        => new($"journal write to '{persistenceId}' sequence number {pending.SequenceNr} rejected: cannot serialize {pending.Payload?.GetType().Name ?? "null"}: {cause.Message}", cause);
}
