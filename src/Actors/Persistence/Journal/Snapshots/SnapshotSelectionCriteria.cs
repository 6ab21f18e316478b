namespace AlgoPerf.Actors.Persistence.Journal.Snapshots;

/// <summary>Which snapshots qualify for a load or a delete (all bounds inclusive), as Akka's criteria.</summary>
/// <param name="MaxSequenceNr">Highest sequence number.</param>
/// <param name="MaxTimestamp">Latest timestamp.</param>
/// <param name="MinSequenceNr">Lowest sequence number.</param>
/// <param name="MinTimestamp">Earliest timestamp.</param>
public sealed record SnapshotSelectionCriteria(long MaxSequenceNr, DateTimeOffset MaxTimestamp, long MinSequenceNr = 0, DateTimeOffset MinTimestamp = default)
{
    /// <summary>Any snapshot: the newest one is loaded.</summary>
    public static SnapshotSelectionCriteria Latest { get; } = new(long.MaxValue, DateTimeOffset.MaxValue);

    /// <summary>No snapshot: recovery replays from the start.</summary>
    public static SnapshotSelectionCriteria None { get; } = new(0, DateTimeOffset.MinValue);

    /// <summary>Snapshots up to a sequence number.</summary>
    /// <param name="maxSequenceNr">Highest sequence number (inclusive).</param>
    /// <returns>The criteria.</returns>
    public static SnapshotSelectionCriteria UpTo(long maxSequenceNr) => new(maxSequenceNr, DateTimeOffset.MaxValue);

    /// <summary>Whether a snapshot qualifies.</summary>
    /// <param name="metadata">The snapshot.</param>
    /// <returns>True when every bound holds.</returns>
    public bool Matches(SnapshotMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return metadata.SequenceNr <= MaxSequenceNr && metadata.SequenceNr >= MinSequenceNr
            && metadata.Timestamp <= MaxTimestamp && metadata.Timestamp >= MinTimestamp;
    }
}
