using AlgoPerf.Actors.Persistence.Journal.Snapshots;

namespace AlgoPerf.Actors.Persistence;

/// <summary>Delivered to <see cref="PersistentActor.ReceiveRecover"/> once recovery has finished, always (also for an empty stream).</summary>
public sealed record RecoveryCompleted
{
    private RecoveryCompleted()
    {
    }

    /// <summary>The single instance.</summary>
    public static RecoveryCompleted Instance { get; } = new();
}

/// <summary>Delivered to <see cref="PersistentActor.ReceiveRecover"/> first when recovery starts from a snapshot.</summary>
/// <param name="Metadata">Which snapshot (its sequence number is that of the last event the state includes).</param>
/// <param name="Snapshot">The saved state.</param>
public sealed record SnapshotOffer(SnapshotMetadata Metadata, object Snapshot);

/// <summary>Reply to <see cref="PersistentActor.SaveSnapshot"/>: the snapshot is durable.</summary>
/// <param name="Metadata">The snapshot saved.</param>
public sealed record SaveSnapshotSuccess(SnapshotMetadata Metadata);

/// <summary>Reply to <see cref="PersistentActor.SaveSnapshot"/>: the snapshot was not saved (the actor goes on).</summary>
/// <param name="Metadata">The snapshot that was not saved.</param>
/// <param name="Cause">Why.</param>
public sealed record SaveSnapshotFailure(SnapshotMetadata Metadata, Exception Cause);

/// <summary>Reply to <see cref="PersistentActor.DeleteSnapshots"/>: the matching snapshots are gone.</summary>
/// <param name="Criteria">What was deleted.</param>
public sealed record DeleteSnapshotsSuccess(SnapshotSelectionCriteria Criteria);

/// <summary>Reply to <see cref="PersistentActor.DeleteSnapshots"/>: the delete failed.</summary>
/// <param name="Criteria">What was to be deleted.</param>
/// <param name="Cause">Why.</param>
public sealed record DeleteSnapshotsFailure(SnapshotSelectionCriteria Criteria, Exception Cause);

/// <summary>Reply to <see cref="PersistentActor.DeleteMessages"/>: events up to <paramref name="ToSequenceNr"/> are deleted.</summary>
/// <param name="ToSequenceNr">Highest deleted sequence number (inclusive).</param>
public sealed record DeleteMessagesSuccess(long ToSequenceNr);

/// <summary>Reply to <see cref="PersistentActor.DeleteMessages"/>: the delete failed or was refused.</summary>
/// <param name="Cause">Why.</param>
/// <param name="ToSequenceNr">The requested bound.</param>
public sealed record DeleteMessagesFailure(Exception Cause, long ToSequenceNr);

/// <summary>An event to persist with tags (for <c>EventsByTag</c> queries); the handler receives this wrapper.</summary>
/// <param name="Payload">The event stored.</param>
/// <param name="Tags">Its tags.</param>
public sealed record Tagged(object Payload, IReadOnlyList<string> Tags);

/// <summary>
/// How a <see cref="PersistentActor"/> recovers (Akka's <c>Recovery</c>): from the newest snapshot matching
/// <see cref="FromSnapshot"/>, then events up to <see cref="ToSequenceNr"/>, at most <see cref="ReplayMax"/> of them.
/// </summary>
/// <param name="FromSnapshot">Which snapshots may be used; <see cref="SnapshotSelectionCriteria.None"/> replays from the start.</param>
/// <param name="ToSequenceNr">Highest sequence number to replay (inclusive).</param>
/// <param name="ReplayMax">Most events to replay.</param>
public sealed record Recovery(SnapshotSelectionCriteria FromSnapshot, long ToSequenceNr = long.MaxValue, long ReplayMax = long.MaxValue)
{
    /// <summary>Newest snapshot, then every later event.</summary>
    public static Recovery Default { get; } = new(SnapshotSelectionCriteria.Latest);
}

/// <summary>Recovery saw no progress (no snapshot, no event) for the recovery event timeout.</summary>
public sealed class RecoveryTimedOutException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RecoveryTimedOutException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which stream and how long.</param>
    public RecoveryTimedOutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which stream and how long.</param>
    /// <param name="innerException">The cause.</param>
    public RecoveryTimedOutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
