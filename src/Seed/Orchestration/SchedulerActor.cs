using Akka.Actor;
using Akka.Event;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Trainer.Actors;
using AlgoPerf.Tuner.Actors;
using AlgoPerf.Tuner.Plans;

namespace AlgoPerf.Seed.Orchestration;

/// <summary>
/// Matches runnable trials to free trainers (one trial per trainer at a time, longest budget first, then in plan
/// order) and routes each trial's outcomes back to the tuner that asked for it.
/// </summary>
/// <remarks>
/// Tuners send <see cref="RunTrial"/> (again after a recovery: a repeat of a queued or running trial keeps its place and redirects its outcomes to the sender, the recovered tuner) and
/// <see cref="StopTrial"/> (a queued trial, or one this process never ran, is reported as stopped early at once; a
/// running one is stopped through its trainer). Trainers answer with the journal's outcome events (<see cref="TrialStarted"/>, <see cref="EvalRecorded"/>, then
/// <see cref="TrialFinished"/> or <see cref="TrialFailed"/>), which are forwarded to the trial's tuner; a final one
/// frees the trainer. A trial a trainer pauses (<see cref="TrialCancelled"/>) or rejects (<see cref="TrialRejected"/>)
/// goes back to the front of the queue. The trainer protocol is given as two functions so the scheduler does not depend on the trainer's
/// message types. A trainer that dies is removed, and its trial is reported failed so its study can still be decided.
/// </remarks>
public sealed class SchedulerActor : UntypedActor
{
    private readonly IReadOnlyList<IActorRef> _trainers;
    private readonly Func<PlannedTrial, object> _runMessage;
    private readonly Func<TrialId, object> _cancelMessage;
    private readonly List<(PlannedTrial Trial, IActorRef Tuner)> _queue = [];
    private readonly Dictionary<TrialId, (IActorRef Trainer, IActorRef Tuner)> _running = [];
    private readonly HashSet<IActorRef> _free = [];
    private readonly HashSet<TrialId> _stopped = [];
    private readonly Dictionary<TrialId, PlannedTrial> _planned = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();

    /// <summary>Creates the scheduler (through <see cref="Props"/>).</summary>
    public SchedulerActor(IReadOnlyList<IActorRef> trainers, Func<PlannedTrial, object> runMessage, Func<TrialId, object> cancelMessage)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        ArgumentNullException.ThrowIfNull(runMessage);
        ArgumentNullException.ThrowIfNull(cancelMessage);
        if (trainers.Count == 0)
        {
            throw new ArgumentException("the scheduler needs at least one trainer", nameof(trainers));
        }

        _trainers = trainers;
        _runMessage = runMessage;
        _cancelMessage = cancelMessage;
    }

    /// <summary>Props for a scheduler over <paramref name="trainers"/>.</summary>
    /// <param name="trainers">The trainer actors, one per device.</param>
    /// <param name="runMessage">The message that makes a trainer run (or resume) a trial and report to its sender.</param>
    /// <param name="cancelMessage">The message that makes a trainer stop the trial it runs.</param>
    public static Props Props(IReadOnlyList<IActorRef> trainers, Func<PlannedTrial, object> runMessage, Func<TrialId, object> cancelMessage) =>
        Akka.Actor.Props.Create(() => new SchedulerActor(trainers, runMessage, cancelMessage));

    /// <inheritdoc />
    protected override void PreStart()
    {
        foreach (var trainer in _trainers)
        {
            Context.Watch(trainer);
            _free.Add(trainer);
        }
    }

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case RunTrial run:
                Enqueue(run.Trial, Sender);
                break;
            case StopTrial stop:
                Stop(stop.Trial, Sender);
                break;
            case TrialStarted s:
                Forward(s.Trial, s, final: false);
                break;
            case EvalRecorded e:
                Forward(e.Trial, e, final: false);
                break;
            case TrialFinished f:
                Forward(f.Trial, f, final: true);
                break;
            case TrialFailed f:
                Forward(f.Trial, f, final: true);
                break;
            case CheckpointSaved:
                _log.Debug("scheduler: {0}", message);
                break;
            case TrialCancelled c:
                // Paused by the trainer (shutdown): not over, so it waits for a trainer again.
                Requeue(c.Trial);
                break;
            case TrialRejected r:
                _log.Warning("scheduler: {0} rejected by {1}: {2}", r.Trial, Sender, r.Reason);
                Requeue(r.Trial);
                break;
            case GetSchedulerStatus:
                Sender.Tell(new SchedulerStatus(_queue.Count, _running.Count, _free.Count), Self);
                break;
            case Terminated t:
                TrainerDied(t.ActorRef);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Enqueue(PlannedTrial trial, IActorRef tuner)
    {
        // A repeat comes from a tuner that restarted (back-off supervisor: a new incarnation with a new ref) and
        // recovered: the trial keeps its place, and its outcomes now go to the new incarnation.
        if (_running.TryGetValue(trial.Trial, out var run))
        {
            _running[trial.Trial] = (run.Trainer, tuner);
            return;
        }

        var queued = _queue.FindIndex(q => q.Trial.Trial == trial.Trial);
        if (queued >= 0)
        {
            _queue[queued] = (_queue[queued].Trial, tuner);
            return;
        }

        _stopped.Remove(trial.Trial);
        _queue.Add((trial, tuner));
        Dispatch();
    }

    private void Stop(TrialId trial, IActorRef tuner)
    {
        var queued = _queue.FindIndex(q => q.Trial.Trial == trial);
        if (queued >= 0)
        {
            _queue.RemoveAt(queued);
            tuner.Tell(new TrialFinished(trial, TrialEndReason.StoppedEarly, 0, 0), Self);
            return;
        }

        if (_running.TryGetValue(trial, out var run))
        {
            if (_stopped.Add(trial))
            {
                run.Trainer.Tell(_cancelMessage(trial), Self);
            }

            return;
        }

        // Neither queued nor running: a recovered tuner stopping a trial this process never ran. It ends now.
        tuner.Tell(new TrialFinished(trial, TrialEndReason.StoppedEarly, 0, 0), Self);
    }

    private void Forward(TrialId trial, IEvent outcome, bool final)
    {
        if (!_running.TryGetValue(trial, out var run))
        {
            _log.Warning("scheduler: outcome for {0}, which is not running; dropped", trial);
            return;
        }

        // A trial cancelled because its study no longer needs it ends as stopped early unless it reached the targets first.
        var forwarded = final && _stopped.Remove(trial) && outcome is TrialFinished { Reason: not TrialEndReason.TargetsReached } f
            ? f with { Reason = TrialEndReason.StoppedEarly }
            : outcome;
        run.Tuner.Tell(forwarded, Self);
        if (final)
        {
            _running.Remove(trial);
            _free.Add(run.Trainer);
            Dispatch();
        }
    }

    private void Requeue(TrialId trial)
    {
        if (_running.Remove(trial, out var run))
        {
            _free.Add(run.Trainer);
            if (!_stopped.Remove(trial))
            {
                _queue.Insert(0, (_planned[trial], run.Tuner));
            }

            Dispatch();
        }
    }

    private void Dispatch()
    {
        while (_free.Count > 0 && _queue.Count > 0)
        {
            // Longest budget first, so the run's tail is short; ties in plan order (workload, study, trial).
            var next = _queue
                .Select((q, i) => (q, i))
                .OrderByDescending(x => x.q.Trial.BudgetSec)
                .ThenBy(x => x.i)
                .First();
            _queue.RemoveAt(next.i);
            var trainer = _free.First();
            _free.Remove(trainer);
            _running[next.q.Trial.Trial] = (trainer, next.q.Tuner);
            _planned[next.q.Trial.Trial] = next.q.Trial;
            _log.Info("scheduler: {0} -> {1}", next.q.Trial.Trial, trainer.Path.Name);
            trainer.Tell(_runMessage(next.q.Trial), Self);
        }
    }

    private void TrainerDied(IActorRef trainer)
    {
        _free.Remove(trainer);
        foreach (var (trial, run) in _running.Where(r => r.Value.Trainer.Equals(trainer)).ToList())
        {
            _running.Remove(trial);
            run.Tuner.Tell(new TrialFailed(trial, $"trainer {trainer} stopped while running the trial", null), Self);
        }

        if (_free.Count == 0 && _running.Count == 0)
        {
            _log.Error("scheduler: every trainer has stopped; {0} trials cannot run", _queue.Count);
        }
    }
}

/// <summary>Asks the <see cref="SchedulerActor"/> for a <see cref="SchedulerStatus"/>.</summary>
public sealed record GetSchedulerStatus;

/// <summary>The scheduler's counts.</summary>
/// <param name="Queued">Trials waiting for a trainer.</param>
/// <param name="Running">Trials running.</param>
/// <param name="FreeTrainers">Trainers without a trial.</param>
public sealed record SchedulerStatus(int Queued, int Running, int FreeTrainers);
