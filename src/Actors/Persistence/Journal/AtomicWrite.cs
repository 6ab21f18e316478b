namespace AlgoPerf.Actors.Persistence.Journal;

/// <summary>One atomic batch of events for one stream (see <see cref="IJournal.WriteAsync"/>).</summary>
/// <param name="PersistenceId">The stream.</param>
/// <param name="WriterEpoch">The writer's lease epoch (fencing token); 0 for a writer without a lease.</param>
/// <param name="Events">The events, with consecutive sequence numbers starting at the stream's highest + 1. Not empty.</param>
public sealed record AtomicWrite(string PersistenceId, long WriterEpoch, IReadOnlyList<PendingEvent> Events)
{
    /// <summary>The lowest sequence number of the batch.</summary>
    public long LowestSequenceNr => Events[0].SequenceNr;

    /// <summary>The highest sequence number of the batch.</summary>
    public long HighestSequenceNr => Events[^1].SequenceNr;
}
