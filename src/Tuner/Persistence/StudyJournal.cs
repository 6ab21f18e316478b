using AlgoPerf.Actors.Pattern;
using AlgoPerf.Actors.Persistence.Journal;
using AlgoPerf.Contracts.Serialization;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Tuner.Plans;
using AlgoPerf.Tuner.Studies;

namespace AlgoPerf.Tuner.Persistence;

/// <summary>
/// One study's tuner stream in an <see cref="IJournal"/> (persistence id <c>tuner/&lt;submission&gt;/&lt;workload&gt;/study_k</c>):
/// recovers the <see cref="StudyState"/> by replaying it, and persists what the state decides as one atomic batch
/// per command, applying the events only once they are durable. Single writer: one instance per study at a time.
/// </summary>
/// <remarks>
/// A failed write (<see cref="JournalWriteFailedException"/>: outcome unknown) leaves this instance unusable, as
/// Akka stops a persistent actor whose persist failed: recover a new instance to learn what landed. A rejected write
/// (<see cref="JournalRejectedException"/>: certainly not stored) leaves the state as it was.
/// </remarks>
public sealed class StudyJournal
{
    private readonly IJournal _journal;
    private readonly long _epoch;
    private bool _broken;

    /// <summary>A journal adapter for <paramref name="study"/>; call <see cref="RecoverAsync"/> before anything else.</summary>
    /// <param name="journal">The journal.</param>
    /// <param name="study">The study.</param>
    /// <param name="writerEpoch">The writer's lease epoch (0 without a lease).</param>
    public StudyJournal(IJournal journal, StudyId study, long writerEpoch = 0)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(study);
        _journal = journal;
        Study = study;
        _epoch = writerEpoch;
    }

    /// <summary>The study.</summary>
    public StudyId Study { get; }

    /// <summary>The stream's persistence id.</summary>
    public string PersistenceId => PersistenceIdOf(Study);

    /// <summary>The recovered and updated state.</summary>
    public StudyState State { get; private set; } = new();

    /// <summary>The highest sequence number persisted.</summary>
    public long SequenceNr { get; private set; }

    /// <summary><c>tuner/&lt;submission&gt;/&lt;workload&gt;/study_k</c>.</summary>
    public static string PersistenceIdOf(StudyId study)
    {
        ArgumentNullException.ThrowIfNull(study);
        return "tuner/" + study;
    }

    /// <summary>Registers the tuner's own event types (<see cref="StudyPlanned"/>) with a journal's type registry.</summary>
    public static EventTypeRegistry RegisterEvents(EventTypeRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Register<StudyPlanned>();
    }

    /// <summary>Rebuilds <see cref="State"/> from the stream.</summary>
    /// <exception cref="InvalidDataException">The stream contradicts itself or belongs to another study.</exception>
    public async Task<StudyState> RecoverAsync(CancellationToken cancellationToken = default)
    {
        var state = new StudyState();
        long highest = 0;
        await foreach (var e in _journal.ReplayAsync(PersistenceId, 1, long.MaxValue, long.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            if (e.Payload is not IEvent payload)
            {
                throw new InvalidDataException($"{PersistenceId} #{e.SequenceNr}: {e.TypeTag} is not an event");
            }

            state.Apply(payload);
            highest = e.SequenceNr;
        }

        if (state.Study is { } recorded && recorded != Study)
        {
            throw new InvalidDataException($"{PersistenceId} holds the plan of {recorded}");
        }

        // Deleted prefixes keep the highest number; a new write must continue after it.
        SequenceNr = Math.Max(highest, await _journal.ReadHighestSequenceNrAsync(PersistenceId, cancellationToken).ConfigureAwait(false));
        State = state;
        _broken = false;
        return state;
    }

    /// <summary>Persists <paramref name="events"/> atomically (nothing for an empty list), then applies them to <see cref="State"/>.</summary>
    /// <exception cref="InvalidOperationException">A previous write failed with an unknown outcome; recover first.</exception>
    public async Task PersistAsync(IReadOnlyList<IEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (_broken)
        {
            throw new InvalidOperationException($"{PersistenceId}: a write failed with an unknown outcome; recover before writing again");
        }

        if (events.Count == 0)
        {
            return;
        }

        var pending = events.Select((e, i) => new PendingEvent(SequenceNr + 1 + i, e)).ToList();
        try
        {
            await _journal.WriteAsync(new AtomicWrite(PersistenceId, _epoch, pending), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (OpenCircuitException or JournalRejectedException))
        {
            // Only a breaker's refusal and a rejection are known not to have written anything; a failed or timed-out
            // call may still land, so the stream must be recovered before the next write.
            _broken = true;
            throw;
        }

        SequenceNr += events.Count;
        foreach (var e in events)
        {
            State.Apply(e);
        }
    }
}
