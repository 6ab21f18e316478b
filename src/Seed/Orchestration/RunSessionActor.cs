using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using AlgoPerf.Contracts.Events;

namespace AlgoPerf.Seed.Orchestration;

/// <summary>
/// Records each start of a run in the run's own stream (<c>run/&lt;name&gt;</c>): recovers how many sessions there
/// were and persists <see cref="RunSessionStarted"/> for this one, so the read side can tell the device time the run
/// had from the time it was stopped (<c>algoperf status</c>'s <c>device_busy_fraction</c>). It decides nothing: a
/// failed write is logged and the run goes on without that session's record.
/// </summary>
public sealed class RunSessionActor : ReceivePersistentActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private int _sessions;

    /// <summary>Creates the actor (through <see cref="Props"/>).</summary>
    public RunSessionActor(BenchmarkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        PersistenceId = PersistenceIdOf(settings.Name);
        Recover<RunSessionStarted>(s => _sessions = Math.Max(_sessions, s.Session));
        Recover<RecoveryCompleted>(_ =>
            Persist(
                new RunSessionStarted(settings.Name, _sessions + 1, settings.Trainers, settings.ThreadsPerTrainer, settings.Device, settings.Gangs.DevicesPerTrial),
                s => _sessions = s.Session));
        Command<GetRunSession>(_ => Sender.Tell(_sessions, Self));
    }

    /// <inheritdoc />
    public override string PersistenceId { get; }

    /// <summary>The stream of a run's sessions.</summary>
    public static string PersistenceIdOf(string benchmark) => "run/" + benchmark;

    /// <summary>Props of the session recorder of <paramref name="settings"/>' run.</summary>
    public static Props Props(BenchmarkSettings settings) => Akka.Actor.Props.Create(() => new RunSessionActor(settings));

    /// <inheritdoc />
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _log.Warning("run sessions: could not record this session ({0}); status will not count its device time", cause.Message);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }
}

/// <summary>Asks the <see cref="RunSessionActor"/> for the number of this session (an <c>int</c>; 0 before it is stored).</summary>
public sealed record GetRunSession;
