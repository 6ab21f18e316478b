using AlgoPerf.Actors;
using AlgoPerf.Actors.Pattern;
using AlgoPerf.Actors.Persistence.Journal;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Tuner.Persistence;
using AlgoPerf.Tuner.Plans;
using AlgoPerf.Tuner.Studies;
using Microsoft.Extensions.Logging;

namespace AlgoPerf.Tuner.Actors;

/// <summary>
/// The persistent tuner of one (submission, workload, study). On start it recovers its stream
/// (<see cref="StudyJournal"/>); a new study persists its plan (<see cref="StudyPlanned"/> + <see cref="TrialPlanned"/>)
/// in one atomic write; a recovered one never re-plans. It then asks the runner for every unfinished trial
/// (<see cref="RunTrial"/>), persists each new outcome it receives (<see cref="EvalRecorded"/>,
/// <see cref="TrialFinished"/>, <see cref="TrialFailed"/>), stops trials that can no longer change the result when the
/// plan enables early stopping (<see cref="StopTrial"/>), and when the last trial ends persists
/// <see cref="StudyDecided"/> (the scorer's <c>StudySelection</c>) and tells the listener.
/// </summary>
/// <remarks>
/// Journal I/O runs off the actor thread and its result comes back as a message; meanwhile other messages are
/// stashed, so the actor never blocks and handles one command at a time against durable state (Akka's
/// <c>Persist</c> semantics). A write whose outcome is unknown (<see cref="JournalWriteFailedException"/>) or a failed
/// recovery throws, so the supervisor restarts the actor, which recovers and learns what landed; a rejected write
/// (<see cref="JournalRejectedException"/>) is logged and the actor goes on without it. A call refused by an open
/// circuit breaker (<see cref="OpenCircuitException"/>, <see cref="CircuitBreakingJournal"/>) was not attempted, so the
/// actor neither restarts (which would only be refused again, in a tight loop) nor drops it: it retries the same call
/// when the breaker lets a probe through (Akka's lesson: recovery stalled behind an open breaker until a restart).
/// </remarks>
public sealed class TunerActor : ActorBase
{
    private readonly StudyPlan _plan;
    private readonly IActorRef _runner;
    private readonly IActorRef? _listener;
    private readonly StudyJournal _journal;
    private readonly HashSet<TrialId> _requested = [];
    private readonly HashSet<TrialId> _stopped = [];
    private bool _announced;
    private (Func<Task> Call, Func<object> OnSuccess)? _inFlight;

    /// <summary>The least wait before a call an open breaker refused is made again.</summary>
    internal static readonly TimeSpan MinJournalRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>Creates the tuner (through <see cref="Props(StudyPlanRequest, IJournal, IActorRef, IActorRef?, long)"/>).</summary>
    public TunerActor(StudyPlanRequest request, IJournal journal, IActorRef runner, IActorRef? listener = null, long writerEpoch = 0)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(runner);
        // Planned eagerly: an invalid request fails the actor's creation (stop), not every recovery (restart loop).
        // The plan is persisted only when the journal holds none; a recovered study keeps its journal's plan.
        _plan = StudyPlanner.Plan(request);
        _runner = runner;
        _listener = listener;
        _journal = new StudyJournal(journal, request.Study, writerEpoch);
    }

    /// <summary>Props for the tuner of <paramref name="request"/>'s study.</summary>
    /// <param name="request">What the plan is made from (used only when the journal holds no plan yet).</param>
    /// <param name="journal">The journal holding the tuner's stream.</param>
    /// <param name="runner">Where <see cref="RunTrial"/> and <see cref="StopTrial"/> go; it replies with the outcomes.</param>
    /// <param name="listener">Who gets <see cref="StudyDecided"/> (the parent when null).</param>
    /// <param name="writerEpoch">The lease epoch fencing the tuner's writes (0 without a lease).</param>
    public static Props Props(StudyPlanRequest request, IJournal journal, IActorRef runner, IActorRef? listener = null, long writerEpoch = 0) =>
        AlgoPerf.Actors.Props.Create(() => new TunerActor(request, journal, runner, listener, writerEpoch));

    /// <summary>The study's state (actor thread only; for tests through the actor's own messages).</summary>
    internal StudyState State => _journal.State;

    /// <inheritdoc />
    protected override void PreStart()
    {
        Context.Become(Busy);
        Journal(() => _journal.RecoverAsync(), () => new Recovered());
    }

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case EvalRecorded or TrialFinished or TrialFailed:
                Consume((IEvent)message);
                break;
            case GetStudyStatus:
                Sender.Tell(Status(), Self);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Consume(IEvent outcome)
    {
        IReadOnlyList<IEvent> events;
        try
        {
            events = _journal.State.DecideOutcome(outcome);
        }
        catch (ArgumentException e)
        {
            Context.Log.LogWarning("tuner {Study}: ignored {Outcome}: {Reason}", _journal.Study, outcome.GetType().Name, e.Message);
            return;
        }

        Persist(events);
    }

    private void Persist(IReadOnlyList<IEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        Context.Become(Busy);
        Journal(() => _journal.PersistAsync(events), () => new Persisted());
    }

    // While recovering or persisting: only the journal's answers are handled; everything else waits in the stash.
    private void Busy(object message)
    {
        switch (message)
        {
            case Recovered:
                IReadOnlyList<IEvent> plan = _journal.State.IsPlanned ? [] : _journal.State.DecidePlan(_plan);
                if (plan.Count > 0)
                {
                    Journal(() => _journal.PersistAsync(plan), () => new Persisted());
                }
                else
                {
                    Ready();
                }

                break;
            case Persisted:
                Ready();
                break;
            case JournalFailed { Error: OpenCircuitException open }:
                // Not attempted: the same call again once the breaker may let a probe through (at least 1 s on, so
                // a probe in flight elsewhere is not raced in a loop).
                var delay = open.RemainingDuration > MinJournalRetryDelay ? open.RemainingDuration : MinJournalRetryDelay;
                Context.Log.LogWarning("tuner {Study}: the journal's circuit breaker is open; retrying in {Delay} s", _journal.Study, delay.TotalSeconds);
                Context.Timers.StartSingleTimer(RetryJournal.Instance, RetryJournal.Instance, delay);
                break;
            case RetryJournal when _inFlight is { } call:
                Complete(call.Call(), call.OnSuccess);
                break;
            case JournalFailed { Error: JournalRejectedException rejected } when !_journal.State.IsPlanned:
                // The plan itself was rejected (e.g. its event type is not registered with the serializer): a restart
                // would only be rejected again, so the tuner stops and its parent sees Terminated.
                Context.Log.LogError(rejected, "tuner {Study}: the journal rejected the plan; stopping", _journal.Study);
                Context.Stop(Self);
                break;
            case JournalFailed { Error: JournalRejectedException rejected }:
                Context.Log.LogError(rejected, "tuner {Study}: the journal rejected a write; going on without it", _journal.Study);
                Ready();
                break;
            case JournalFailed failed:
                // Unknown outcome or failed recovery: restart and recover (Akka stops a persistent actor here).
                throw new InvalidOperationException($"tuner {_journal.Study}: journal operation failed", failed.Error);
            default:
                Stash.Stash();
                break;
        }
    }

    private void Ready()
    {
        Act();
        Context.Become(OnReceive);
        Stash.UnstashAll();
    }

    /// <summary>The effects of the current state: announce the decision, stop what cannot matter, request the rest.</summary>
    private void Act()
    {
        var state = _journal.State;
        if (state.Decision is { } decision)
        {
            if (!_announced)
            {
                _announced = true;
                (_listener ?? Context.Parent).Tell(decision, Self);
            }

            return;
        }

        foreach (var id in state.TrialsToStop())
        {
            if (_stopped.Add(id))
            {
                _runner.Tell(new StopTrial(id), Self);
            }
        }

        foreach (var trial in state.TrialsToRun())
        {
            if (_requested.Add(trial.Trial))
            {
                _runner.Tell(new RunTrial(trial), Self);
            }
        }
    }

    private StudyStatus Status()
    {
        var s = _journal.State;
        return new StudyStatus(_journal.Study, s.Trials.Count, s.Trials.Count(t => t.IsTerminal), _journal.SequenceNr, s.Decision);
    }

    /// <summary>Starts a journal call (kept, so a call an open breaker refused can be made again).</summary>
    private void Journal(Func<Task> call, Func<object> onSuccess)
    {
        _inFlight = (call, onSuccess);
        Complete(call(), onSuccess);
    }

    /// <summary>Sends the task's outcome to this actor as a message once it completes (the actor never awaits).</summary>
    private void Complete(Task task, Func<object> onSuccess)
    {
        var self = Self;
        task.ContinueWith(
            t => self.Tell(t.IsCompletedSuccessfully ? onSuccess() : new JournalFailed(t.Exception?.GetBaseException() ?? new OperationCanceledException()), null),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private sealed record Recovered;

    private sealed record RetryJournal
    {
        public static readonly RetryJournal Instance = new();
    }

    private sealed record Persisted;

    private sealed record JournalFailed(Exception Error);
}
