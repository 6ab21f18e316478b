using System.Diagnostics;
using Akka.Actor;
using Akka.Persistence;
using AlgoPerf.Contracts.Events;

namespace AlgoPerf.Seed.Commands.Bench;

/// <summary>
/// The event the persistence benchmarks store: about the size of an <c>eval-recorded</c> event with three metrics. It
/// goes through the product's event serializer (registered from this assembly by the benchmarks' configuration).
/// </summary>
/// <param name="Sequence">The writer's sequence number of the event.</param>
/// <param name="Step">A step count.</param>
/// <param name="Seconds">A time.</param>
/// <param name="TrainLoss">A metric.</param>
/// <param name="ValidationAccuracy">A metric.</param>
/// <param name="ValidationLoss">A metric.</param>
[EventContract("bench-sample", 1)]
internal sealed record BenchSample(long Sequence, long Step, double Seconds, double TrainLoss, double ValidationAccuracy, double ValidationLoss) : IEvent
{
    /// <summary>The sample with sequence number <paramref name="sequence"/>.</summary>
    public static BenchSample At(long sequence) => new(sequence, sequence * 100, sequence * 1.5, 1.0 / (sequence + 1), 0.9, 0.3);
}

/// <summary>Persist <paramref name="Events"/> events in <c>PersistAll</c> batches of <paramref name="Batch"/>, each after the previous one is stored; answered with <see cref="BenchPersisted"/>.</summary>
internal sealed record PersistBatches(long Events, int Batch);

/// <summary>
/// Persist one event at a time (each <c>Persist</c> handler persists the next) until <paramref name="MaxEvents"/>
/// are stored or <paramref name="MaxDuration"/> has passed; answered with <see cref="BenchPersisted"/>.
/// </summary>
internal sealed record PersistSingles(long MaxEvents, TimeSpan MaxDuration);

/// <summary>The answer to <see cref="PersistBatches"/> and <see cref="PersistSingles"/>.</summary>
/// <param name="Events">The events stored.</param>
/// <param name="Elapsed">From the command to the last event's handler.</param>
internal sealed record BenchPersisted(long Events, TimeSpan Elapsed);

/// <summary>Asks a <see cref="BenchWriter"/> how its recovery went; answered with <see cref="BenchRecovered"/> (after recovery, as commands wait for it).</summary>
internal sealed record GetBenchRecovery
{
    /// <summary>The message.</summary>
    public static GetBenchRecovery Instance { get; } = new();
}

/// <summary>The answer to <see cref="GetBenchRecovery"/>.</summary>
/// <param name="Events">The <see cref="BenchSample"/> events replayed.</param>
/// <param name="LastSequenceNr">The highest sequence number after recovery.</param>
/// <param name="CompletedAt">The <see cref="Stopwatch.GetTimestamp"/> at <see cref="RecoveryCompleted"/>.</param>
internal sealed record BenchRecovered(long Events, long LastSequenceNr, long CompletedAt);

/// <summary>
/// The persistent actor of the persistence benchmarks: real <see cref="ReceivePersistentActor"/> persistence of
/// <see cref="BenchSample"/> events on whatever journal the actor system is configured with. A failed or rejected
/// write answers the waiting sender with <see cref="Status.Failure"/>; a failed recovery stops the actor (Akka logs
/// the cause), which <c>BenchAkka.AskAsync</c> turns into an exception instead of a timeout.
/// </summary>
internal sealed class BenchWriter : ReceivePersistentActor
{
    private long _replayed;
    private long _recoveredAt;
    private IActorRef _replyTo = ActorRefs.Nobody;
    private long _started;
    private long _stored;
    private long _target;
    private TimeSpan _maxDuration;

    /// <summary>Creates the writer of stream <paramref name="persistenceId"/>.</summary>
    public BenchWriter(string persistenceId)
    {
        PersistenceId = persistenceId;
        Recover<BenchSample>(_ => _replayed++);
        Recover<RecoveryCompleted>(_ => _recoveredAt = Stopwatch.GetTimestamp());
        Command<GetBenchRecovery>(_ => Sender.Tell(new BenchRecovered(_replayed, LastSequenceNr, _recoveredAt)));
        Command<PersistBatches>(Handle);
        Command<PersistSingles>(Handle);
    }

    /// <inheritdoc />
    public override string PersistenceId { get; }

    /// <summary>The props of the writer of stream <paramref name="persistenceId"/>.</summary>
    public static Props Props(string persistenceId) => Akka.Actor.Props.Create(() => new BenchWriter(persistenceId));

    /// <inheritdoc />
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _replyTo.Tell(new Status.Failure(cause));
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    /// <inheritdoc />
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _replyTo.Tell(new Status.Failure(cause));
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    private void Handle(PersistBatches command)
    {
        Start(command.Events, TimeSpan.MaxValue);
        NextBatch(command.Batch);
    }

    private void Handle(PersistSingles command)
    {
        Start(command.MaxEvents, command.MaxDuration);
        NextSingle();
    }

    private void Start(long target, TimeSpan maxDuration)
    {
        _replyTo = Sender;
        _target = target;
        _maxDuration = maxDuration;
        _stored = 0;
        _started = Stopwatch.GetTimestamp();
    }

    private void NextBatch(int batch)
    {
        var first = LastSequenceNr + 1;
        var count = (int)Math.Min(batch, _target - _stored);
        var last = first + count - 1;
        PersistAll(Enumerable.Range(0, count).Select(i => BenchSample.At(first + i)), e =>
        {
            _stored++;
            if (e.Sequence != last)
            {
                return;
            }

            if (_stored < _target)
            {
                NextBatch(batch);
            }
            else
            {
                Done();
            }
        });
    }

    private void NextSingle() => Persist(BenchSample.At(LastSequenceNr + 1), _ =>
    {
        _stored++;
        if (_stored < _target && Stopwatch.GetElapsedTime(_started) < _maxDuration)
        {
            NextSingle();
        }
        else
        {
            Done();
        }
    });

    private void Done()
    {
        _replyTo.Tell(new BenchPersisted(_stored, Stopwatch.GetElapsedTime(_started)));
        _replyTo = ActorRefs.Nobody;
    }
}
