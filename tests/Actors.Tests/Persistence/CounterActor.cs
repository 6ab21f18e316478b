using AlgoPerf.Actors.Persistence;
using AlgoPerf.Actors.Tests.Persistence.Journal;

namespace AlgoPerf.Actors.Tests.Persistence;

/// <summary>A persistent counter for the PersistentActor tests; reports recovery and failures to a probe.</summary>
internal sealed class CounterActor : PersistentActor
{
    private readonly IActorRef _reports;
    private readonly long _epoch;
    private readonly List<int> _history = [];
    private int _total;

    public CounterActor(PersistenceRuntime persistence, string persistenceId, IActorRef reports, long epoch = 0)
        : base(persistence)
    {
        PersistenceId = persistenceId;
        _reports = reports;
        _epoch = epoch;
    }

    public override string PersistenceId { get; }

    protected override long WriterEpoch => _epoch;

    public static Props Props(PersistenceRuntime persistence, string persistenceId, IActorRef reports, long epoch = 0) =>
        Actors.Props.Create(() => new CounterActor(persistence, persistenceId, reports, epoch));

    protected override void ReceiveRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer { Snapshot: CounterState state }:
                _total = state.Total;
                break;
            case Counted c:
                Apply(c);
                break;
            case RecoveryCompleted:
                _reports.Tell(new Recovered(Snapshot()), Self);
                break;
        }
    }

    protected override void ReceiveCommand(object message)
    {
        switch (message)
        {
            case Add add:
                Persist(new Counted(PersistenceId, add.Value), e =>
                {
                    Apply(e);
                    Sender.Tell(new Added(e.Value, LastSequenceNr), Self);
                });
                break;
            case AddAll all:
                PersistAll(all.Values.Select(v => new Counted(PersistenceId, v)), e =>
                {
                    Apply(e);
                    Sender.Tell(new Added(e.Value, LastSequenceNr), Self);
                });
                break;
            case AddAsync add:
                PersistAsync(new Counted(PersistenceId, add.Value), e =>
                {
                    Apply(e);
                    Sender.Tell(new Added(e.Value, LastSequenceNr), Self);
                });
                break;
            case AddTagged add:
                Persist(new Tagged(new Counted(PersistenceId, add.Value), [add.Tag]), t =>
                {
                    Apply((Counted)t.Payload);
                    Sender.Tell(new Added(add.Value, LastSequenceNr), Self);
                });
                break;
            case AddThenFail add:
                Persist(new Counted(PersistenceId, add.Value), e => Sender.Tell(new Added(e.Value, LastSequenceNr), Self));
                throw new InvalidOperationException("failing after persist");
            case PersistRaw raw:
                Persist(raw.Payload, _ => Sender.Tell(new Added(-1, LastSequenceNr), Self));
                break;
            case Get:
                Sender.Tell(Snapshot(), Self);
                break;
            case Note note when note.Stashing:
                // The reply carries the state when the deferred handler runs: after every earlier write's handler.
                Defer(note.Text, t => Sender.Tell(new Noted(t, Snapshot()), Self));
                break;
            case Note note:
                DeferAsync(note.Text, t => Sender.Tell(new Noted(t, Snapshot()), Self));
                break;
            case TakeSnapshot:
                SaveSnapshot(new CounterState(_total));
                break;
            case DeleteUpTo delete:
                DeleteMessages(delete.ToSequenceNr);
                break;
            case SaveSnapshotSuccess or SaveSnapshotFailure or DeleteMessagesSuccess or DeleteMessagesFailure:
                _reports.Tell(message, Self);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _reports.Tell(new PersistFailed(cause.GetType().Name, sequenceNr), Self);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _reports.Tell(new PersistRejected(cause.GetType().Name, sequenceNr), Self);
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    protected override void OnRecoveryFailure(Exception reason, object? message)
    {
        _reports.Tell(new RecoveryFailedReport(reason.GetType().Name), Self);
        base.OnRecoveryFailure(reason, message);
    }

    private void Apply(Counted c)
    {
        _total += c.Value;
        _history.Add(c.Value);
    }

    private CounterSnapshot Snapshot() => new(_total, LastSequenceNr, string.Join(",", _history));

    public sealed record Add(int Value);

    public sealed record AddAll(int[] Values);

    public sealed record AddAsync(int Value);

    public sealed record AddThenFail(int Value);

    public sealed record AddTagged(int Value, string Tag);

    public sealed record PersistRaw(object Payload);

    public sealed record Get;

    public sealed record Note(string Text, bool Stashing = false);

    public sealed record Noted(string Text, CounterSnapshot State);

    public sealed record TakeSnapshot;

    public sealed record DeleteUpTo(long ToSequenceNr);

    public sealed record Added(int Value, long SequenceNr);

    /// <summary>The state: total, last sequence number, and the values applied by this incarnation (replayed or persisted), in order.</summary>
    public sealed record CounterSnapshot(int Total, long SequenceNr, string History);

    public sealed record Recovered(CounterSnapshot State);

    public sealed record PersistFailed(string Error, long SequenceNr);

    public sealed record PersistRejected(string Error, long SequenceNr);

    public sealed record RecoveryFailedReport(string Error);
}
