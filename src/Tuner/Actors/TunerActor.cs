using Akka.Actor;
using Akka.Event;
using Akka.Pattern;
using System.Runtime.Serialization;
using Akka.Persistence;
using System.Diagnostics;
using AlgoPerf.Contracts.Delivery;
using AlgoPerf.Contracts.Diagnostics;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Tuner.Plans;
using AlgoPerf.Tuner.Studies;

namespace AlgoPerf.Tuner.Actors;

/// <summary>
/// The persistent tuner of one (submission, workload, study), an Akka.Persistence actor whose stream
/// (<see cref="PersistenceIdOf"/>) holds the study's plan and outcomes. A new study persists its plan
/// (<see cref="StudyPlanned"/> + <see cref="TrialPlanned"/>) once, atomically; a recovered one never re-plans. It then
/// asks the runner for every unfinished trial (<see cref="RunTrial"/>), persists each new outcome it receives
/// (<see cref="EvalRecorded"/>, <see cref="TrialFinished"/>, <see cref="TrialFailed"/>; a repeat is dropped by the
/// state), stops trials that can no longer change the result when the plan enables early stopping
/// (<see cref="StopTrial"/>), and when the last trial ends persists <see cref="StudyDecided"/> and tells the listener
/// once.
/// </summary>
/// <remarks>
/// <para>Effects (requests, stops, the announcement) follow only persisted state: they run after the handlers of a
/// <c>PersistAll</c> (through <c>DeferAsync</c>). Akka stashes commands while a write is in flight.</para>
/// <para>Failures, as Akka.Persistence defines them: a write with an unknown outcome (<see cref="OnPersistFailure"/>)
/// stops the actor, and <see cref="Supervised"/>'s back-off supervisor starts it again, so it recovers what landed
/// (the runner's outcomes are re-sent or re-requested and counted once). A rejected write
/// (<see cref="OnPersistRejected"/>: nothing stored, e.g. a payload the serializer refuses) of an outcome is logged and
/// the tuner goes on without it; of the plan itself the tuner gives the study up (<see cref="StudyAbandoned"/> to the
/// listener) and stops, since every restart would be rejected again. A failed recovery (the journal is unreachable
/// past the plugin's circuit breaker, or a stored event does not deserialize) also gives the study up, naming the
/// persistence id and the sequence number after the last one replayed; nothing stored is changed.</para>
/// </remarks>
public sealed class TunerActor : UntypedPersistentActor
{
    private readonly StudyPlan _plan;
    private readonly StudyId _study;
    private readonly IActorRef _runner;
    private readonly IActorRef? _listener;
    private readonly HashSet<TrialId> _requested = [];
    private readonly HashSet<TrialId> _stopped = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private StudyState _state = new();
    private readonly bool _supervised;
    private bool _announced;
    private bool _abandoned;

    /// <summary>Creates the tuner (through <see cref="Props(StudyPlanRequest, IActorRef, IActorRef?)"/> or <see cref="Supervised"/>).</summary>
    public TunerActor(StudyPlanRequest request, IActorRef runner, IActorRef? listener = null, bool supervised = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(runner);
        // Planned eagerly: an invalid request fails the actor's creation (stop), not every recovery (restart loop).
        // The plan is persisted only when the journal holds none; a recovered study keeps its journal's plan.
        _plan = StudyPlanner.Plan(request);
        _study = request.Study;
        _runner = runner;
        _listener = listener;
        _supervised = supervised;
        PersistenceId = PersistenceIdOf(request.Study);
    }

    /// <inheritdoc />
    public override string PersistenceId { get; }

    /// <summary>The stream of a study: <c>tuner/&lt;submission&gt;/&lt;workload&gt;/study_k</c>.</summary>
    public static string PersistenceIdOf(StudyId study)
    {
        ArgumentNullException.ThrowIfNull(study);
        return "tuner/" + study;
    }

    /// <summary>Props for the tuner of <paramref name="request"/>'s study.</summary>
    /// <param name="request">What the plan is made from (used only when the journal holds no plan yet).</param>
    /// <param name="runner">Where <see cref="RunTrial"/> and <see cref="StopTrial"/> go; it replies with the outcomes.</param>
    /// <param name="listener">Who gets <see cref="StudyDecided"/> and <see cref="StudyAbandoned"/> (the parent when null).</param>
    public static Props Props(StudyPlanRequest request, IActorRef runner, IActorRef? listener = null) =>
        Akka.Actor.Props.Create(() => new TunerActor(request, runner, listener));

    /// <summary>
    /// The tuner under Akka's back-off supervisor (child name <c>tuner</c>): when it stops after a failed write, the
    /// supervisor starts it again after <paramref name="minBackoff"/>, doubling up to <paramref name="maxBackoff"/>, and
    /// the new incarnation recovers from the journal, without a limit on retries (the journal may be down for a while).
    /// It is not restarted after it gave its study up. The request is planned here first, so an invalid one throws to
    /// the caller instead of failing every incarnation the supervisor would start.
    /// </summary>
    /// <exception cref="ArgumentException">The request cannot be planned (see <see cref="StudyPlanner.Plan"/>).</exception>
    /// <exception cref="KeyNotFoundException">The rules have no such workload.</exception>
    public static Props Supervised(StudyPlanRequest request, IActorRef runner, IActorRef? listener, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(runner);
        _ = StudyPlanner.Plan(request);
        return BackoffSupervisor.Props(
            Backoff.OnStop(Akka.Actor.Props.Create(() => new TunerActor(request, runner, listener, true)), "tuner", minBackoff, maxBackoff, randomFactor, maxNrOfRetries: -1)
                .WithFinalStopMessage(m => m is StudyAbandoned));
    }

    /// <inheritdoc />
    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case IEvent e:
                _state.Apply(e);
                break;
            case RecoveryCompleted:
                if (_state.Study is { } recorded && recorded != _study)
                {
                    Abandon($"{PersistenceId} holds the plan of {recorded}");
                    return;
                }

                if (!_state.IsPlanned)
                {
                    PersistThenAct(_state.DecidePlan(_plan));
                }
                else
                {
                    Act();
                }

                break;
        }
    }

    /// <inheritdoc />
    protected override void OnCommand(object message)
    {
        switch (message)
        {
            case TrialStarted or EvalRecorded or TrialFinished or TrialFailed:
                Consume((IEvent)message);
                break;
            case AttemptOutcome outcome:
                ConsumeAttempt(outcome);
                break;
            case StudyAbandoned when _abandoned:
                // The supervisor's copy of our own final-stop message: it stops too once we are gone.
                Context.Stop(Self);
                break;
            case GetStudyStatus:
                Sender.Tell(new StudyStatus(_study, _state.Trials.Count, _state.Trials.Count(t => t.IsTerminal), LastSequenceNr, _state.Decision), Self);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <inheritdoc />
    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        var corrupt = Causes(reason).OfType<SerializationException>().FirstOrDefault();
        if (corrupt is not null)
        {
            Abandon($"recovery of {PersistenceId} failed at sequence number {LastSequenceNr + 1}: {corrupt.Message}");
        }
        else
        {
            _log.Warning(
                "tuner {0}: recovery of {1} failed after sequence number {2} ({3}); {4}",
                _study,
                PersistenceId,
                LastSequenceNr,
                reason.GetBaseException().Message,
                _supervised ? "retrying after the back-off" : "stopping");
        }
    }

    /// <inheritdoc />
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        if (!_state.IsPlanned)
        {
            Abandon($"the journal rejected the plan of {PersistenceId} (sequence number {sequenceNr}): {cause.GetBaseException().Message}");
            return;
        }

        _log.Error(cause, "tuner {0}: the journal rejected {1} (sequence number {2}); going on without it", _study, @event.GetType().Name, sequenceNr);
    }

    /// <inheritdoc />
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _log.Warning("tuner {0}: writing {1} (sequence number {2}) failed with an unknown outcome ({3}); stopping to recover", _study, @event.GetType().Name, sequenceNr, cause.GetBaseException().Message);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    private void Consume(IEvent outcome)
    {
        IReadOnlyList<IEvent> events;
        try
        {
            events = _state.DecideOutcome(outcome);
        }
        catch (ArgumentException e)
        {
            _log.Warning("tuner {0}: ignored {1}: {2}", _study, outcome.GetType().Name, e.Message);
            return;
        }

        if (events.Count > 0)
        {
            PersistThenAct(events);
        }
    }

    // A result delivered at least once (cluster mode): fenced by its attempt, deduplicated by (trial, attempt, eval
    // index), and acknowledged to the trainer once it is persisted or dropped, never before.
    private void ConsumeAttempt(AttemptOutcome delivery)
    {
        var outcome = delivery.Outcome;
        var ack = new ResultAck(StudyState.TrialOf(outcome), delivery.Attempt, delivery.Seq);
        IReadOnlyList<IEvent> events;
        try
        {
            switch (_state.Admit(outcome, delivery.Attempt))
            {
                case AttemptVerdict.Superseded:
                    _log.Warning("tuner {0}: refused {1} of attempt {2} of {3}: attempt {4} has started since", _study, outcome.GetType().Name, delivery.Attempt, ack.Trial, _state.Trial(ack.Trial)!.CurrentAttempt);
                    delivery.AckTo.Tell(ack, Self);
                    if (outcome is TrialFinished or TrialFailed && _state.Trial(ack.Trial) is { IsTerminal: false })
                    {
                        // The runner took this stale end for the trial's; ask for the trial again.
                        _requested.Remove(ack.Trial);
                        Act();
                    }

                    return;
                case AttemptVerdict.Duplicate:
                    delivery.AckTo.Tell(ack, Self);
                    return;
            }

            events = _state.DecideOutcome(outcome);
        }
        catch (ArgumentException e)
        {
            _log.Warning("tuner {0}: ignored {1}: {2}", _study, outcome.GetType().Name, e.Message);
            delivery.AckTo.Tell(ack, Self);
            return;
        }

        if (events.Count == 0)
        {
            delivery.AckTo.Tell(ack, Self);
            return;
        }

        PersistThenAct(events, () => delivery.AckTo.Tell(ack, Self));
    }

    private void PersistThenAct(IReadOnlyList<IEvent> events, Action? persisted = null)
    {
        // The journal's write latency as the tuner sees it: from the write to its handlers (the /metrics histogram).
        var writing = Stopwatch.GetTimestamp();
        PersistAll(events, e => _state.Apply(e));
        DeferAsync(events, _ =>
        {
            AlgoPerfMetrics.RecordJournalWrite(Stopwatch.GetElapsedTime(writing));
            var evals = events.Count(e => e is EvalRecorded);
            if (evals > 0)
            {
                AlgoPerfMetrics.EvalsRecorded.Add(evals);
            }

            persisted?.Invoke();
            Act();
        });
    }

    /// <summary>The effects of the persisted state: announce the decision, stop what cannot matter, request the rest.</summary>
    private void Act()
    {
        if (_abandoned || !_state.IsPlanned)
        {
            return;
        }

        if (_state.Decision is { } decision)
        {
            if (!_announced)
            {
                _announced = true;
                (_listener ?? Context.Parent).Tell(decision, Self);
            }

            return;
        }

        foreach (var id in _state.TrialsToStop())
        {
            if (_stopped.Add(id))
            {
                _runner.Tell(new StopTrial(id), Self);
            }
        }

        foreach (var trial in _state.TrialsToRun())
        {
            if (_requested.Add(trial.Trial))
            {
                _runner.Tell(new RunTrial(trial, _state.Trial(trial.Trial)!.CurrentAttempt), Self);
            }
        }
    }

    private void Abandon(string reason)
    {
        if (_abandoned)
        {
            return;
        }

        _abandoned = true;
        _log.Error("tuner {0}: giving the study up: {1}", _study, reason);
        var abandoned = new StudyAbandoned(_study, reason);
        (_listener ?? Context.Parent).Tell(abandoned, Self);
        if (_supervised)
        {
            // The back-off supervisor's final-stop message, sent as from outside (a message from its child would be
            // passed on to its parent): it hands it back to this actor, which stops, and then stops itself instead of
            // starting another incarnation that would fail the same way.
            Context.Parent.Tell(abandoned, ActorRefs.NoSender);
        }
        else
        {
            Context.Stop(Self);
        }
    }

    private static IEnumerable<Exception> Causes(Exception e)
    {
        for (Exception? c = e; c is not null; c = c.InnerException)
        {
            yield return c;
            if (c is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Causes))
                {
                    yield return inner;
                }
            }
        }
    }
}

/// <summary>
/// A tuner gave its study up for good: its plan was rejected by the journal or its stream cannot be recovered. The
/// study cannot be decided, so the run stops with <see cref="Reason"/>.
/// </summary>
/// <param name="Study">The study.</param>
/// <param name="Reason">What happened, naming the persistence id (and the sequence number where it applies).</param>
public sealed record StudyAbandoned(StudyId Study, string Reason);
