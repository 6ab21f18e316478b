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

    /// <summary>Creates the actor (through <see cref="Props"/> or <see cref="OnDemand"/>).</summary>
    public RunSessionActor(BenchmarkSettings settings, bool onDemand = false)
    {
        ArgumentNullException.ThrowIfNull(settings);
        PersistenceId = PersistenceIdOf(settings.Name);
        Recover<RunSessionStarted>(s => _sessions = Math.Max(_sessions, s.Session));
        Recover<RecoveryCompleted>(_ =>
        {
            if (!onDemand)
            {
                Record(settings, settings.Trainers);
            }
        });
        Command<RecordRunSession>(r => Record(settings, r.Trainers));
        Command<GetRunSession>(_ => Sender.Tell(_sessions, Self));
    }

    /// <inheritdoc />
    public override string PersistenceId { get; }

    /// <summary>The stream of a run's sessions.</summary>
    public static string PersistenceIdOf(string benchmark) => "run/" + benchmark;

    /// <summary>Props of the session recorder of <paramref name="settings"/>' run.</summary>
    public static Props Props(BenchmarkSettings settings) => Akka.Actor.Props.Create(() => new RunSessionActor(settings, false));

    /// <summary>
    /// Props of a recorder that starts a session at each <see cref="RecordRunSession"/> (a cluster's coordinator, whose
    /// trainers come and go: each change of their number starts a session, the period the read side counts device time
    /// by).
    /// </summary>
    public static Props OnDemand(BenchmarkSettings settings) => Akka.Actor.Props.Create(() => new RunSessionActor(settings, true));

    private void Record(BenchmarkSettings settings, int trainers) =>
        Persist(
            new RunSessionStarted(settings.Name, _sessions + 1, trainers, settings.ThreadsPerTrainer, settings.Device, settings.Gangs.DevicesPerTrial),
            s => _sessions = s.Session);

    /// <inheritdoc />
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _log.Warning("run sessions: could not record this session ({0}); status will not count its device time", cause.Message);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }
}

/// <summary>Asks the <see cref="RunSessionActor"/> for the number of this session (an <c>int</c>; 0 before it is stored).</summary>
public sealed record GetRunSession;

/// <summary>Starts a session of the run with <paramref name="Trainers"/> trainers (<see cref="RunSessionActor.OnDemand"/>).</summary>
/// <param name="Trainers">The trainers (devices) the run has from now on.</param>
public sealed record RecordRunSession(int Trainers);
