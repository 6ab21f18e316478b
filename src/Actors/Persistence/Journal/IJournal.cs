namespace AlgoPerf.Actors.Persistence.Journal;

/// <summary>
/// The event journal: an append-only log of events per persistence id (stream), with a global ordering across streams.
/// One writer per stream; the database's unique key on (persistence id, sequence number) and the writer epoch turn a
/// second writer into a failure or a rejection instead of a silently interleaved stream.
/// </summary>
/// <remarks>
/// <para>Implementations: <c>SqliteJournal</c> (the embedded default) and <c>PostgresJournal</c> (clusters); both pass
/// the same conformance suite (<c>JournalConformanceTests</c>). <c>TestJournal</c> wraps either to inject faults.</para>
/// <para>All members are thread-safe. Writes of different streams may run concurrently; writes of one stream must be
/// issued in order by its single writer (the next write after the previous one completed).</para>
/// </remarks>
public interface IJournal
{
    /// <summary>
    /// Appends one atomic batch of events to one stream.
    /// </summary>
    /// <remarks>
    /// <para><b>Atomic.</b> Either every event of <paramref name="write"/> is stored or none is; a reader never observes
    /// a part of a batch (Akka's <c>AtomicWrite</c>).</para>
    /// <para><b>In order per stream.</b> The events carry consecutive sequence numbers starting at the stream's highest
    /// sequence number + 1 (an optimistic-concurrency check, as Orleans' <c>IJournalStorage</c>); they are stored and
    /// replayed in that order, and each gets a global ordering larger than that of every event committed before it by
    /// the same connection.</para>
    /// <para><b>Fencing.</b> Every stream remembers the highest writer epoch it has accepted. A write whose
    /// <see cref="AtomicWrite.WriterEpoch"/> is lower is refused with <see cref="JournalFencedException"/> (a
    /// rejection: nothing was stored). An equal or higher epoch is accepted and becomes the stream's epoch. Writers
    /// without a lease use epoch 0.</para>
    /// <para><b>Fail when unsure.</b> The returned task completes successfully only after the batch is durable.
    /// It faults with:</para>
    /// <list type="bullet">
    /// <item><see cref="JournalRejectedException"/> when the batch was certainly not stored and the writer may go on:
    /// a payload that cannot be serialized, a stale epoch (<see cref="JournalFencedException"/>). Never retried.</item>
    /// <item><see cref="JournalSequenceConflictException"/> (a <see cref="JournalWriteFailedException"/>) when the
    /// sequence numbers do not follow the stream's highest one: another writer got there first, so the writer's state
    /// is stale and it must stop and recover.</item>
    /// <item><see cref="JournalWriteFailedException"/> for everything else (connection lost, disk full, timeout,
    /// cancellation after the write was sent): the outcome is unknown, the batch may or may not be stored, and the
    /// writer must stop (a backoff supervisor restarts it, and recovery shows what landed). Transient errors are
    /// retried inside the journal before this surfaces.</item>
    /// </list>
    /// <para>Cancellation before the write is sent throws <see cref="OperationCanceledException"/> (nothing
    /// stored); after it was sent the outcome is unknown and the journal throws <see cref="JournalWriteFailedException"/>.</para>
    /// </remarks>
    /// <param name="write">The batch: one persistence id, its events with their sequence numbers, the writer's epoch.</param>
    /// <param name="cancellationToken">Cancels the write (see remarks).</param>
    /// <returns>The global orderings assigned, one per event, in batch order.</returns>
    Task<WriteResult> WriteAsync(AtomicWrite write, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replays the stored events of one stream with <paramref name="fromSequenceNr"/> &lt;= sequence number &lt;=
    /// <paramref name="toSequenceNr"/>, in sequence order, at most <paramref name="max"/> of them. Deleted events are
    /// not replayed.
    /// </summary>
    /// <param name="persistenceId">The stream.</param>
    /// <param name="fromSequenceNr">Lowest sequence number to replay (inclusive).</param>
    /// <param name="toSequenceNr">Highest sequence number to replay (inclusive); <see cref="long.MaxValue"/> for all.</param>
    /// <param name="max">Most events to replay; <see cref="long.MaxValue"/> for all.</param>
    /// <param name="cancellationToken">Stops the replay.</param>
    /// <returns>The events, deserialized and upcast to their current versions.</returns>
    /// <exception cref="JournalCorruptEventException">A stored event cannot be read (unknown tag or version, bad JSON);
    /// the message names the persistence id, the sequence number and the tag.</exception>
    IAsyncEnumerable<PersistentRepresentation> ReplayAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, CancellationToken cancellationToken = default);

    /// <summary>
    /// The highest sequence number ever stored for the stream (0 for an unknown stream). Deletions never lower it,
    /// so a recovered writer never reuses a sequence number.
    /// </summary>
    /// <param name="persistenceId">The stream.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The highest sequence number.</returns>
    Task<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the stream's events with sequence number &lt;= <paramref name="toSequenceNr"/> (a logical delete for
    /// replay; <see cref="ReadHighestSequenceNrAsync"/> keeps returning the highest number ever stored).
    /// </summary>
    /// <param name="persistenceId">The stream.</param>
    /// <param name="toSequenceNr">Highest sequence number to delete (inclusive); larger than the highest stored means all.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>A task that completes when the delete is durable.</returns>
    Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default);
}
