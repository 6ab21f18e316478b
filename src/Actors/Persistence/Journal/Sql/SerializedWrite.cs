using AlgoPerf.Contracts.Serialization;

namespace AlgoPerf.Actors.Persistence.Journal.Sql;

/// <summary>An <see cref="AtomicWrite"/> after validation and serialization, ready for the database.</summary>
/// <param name="PersistenceId">The stream.</param>
/// <param name="WriterEpoch">The writer's epoch.</param>
/// <param name="Events">The serialized events, in sequence order.</param>
internal sealed record SerializedWrite(string PersistenceId, long WriterEpoch, IReadOnlyList<SerializedEvent> Events)
{
    public long LowestSequenceNr => Events[0].SequenceNr;

    public long HighestSequenceNr => Events[^1].SequenceNr;
}

/// <summary>One serialized event.</summary>
/// <param name="SequenceNr">Its sequence number.</param>
/// <param name="Payload">Tag, version, JSON.</param>
/// <param name="Tags">Its tags.</param>
/// <param name="TagsJson">The tags as a JSON array, or null when there are none.</param>
internal sealed record SerializedEvent(long SequenceNr, SerializedPayload Payload, IReadOnlyList<string> Tags, string? TagsJson);
