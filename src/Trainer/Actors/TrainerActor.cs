using Akka.Actor;
using Akka.Event;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Trainer.Checkpoints;
using AlgoPerf.Trainer.Running;
using AlgoPerf.Trainer.Timing;

namespace AlgoPerf.Trainer.Actors;

/// <summary>
/// One trainer per device: runs one trial at a time through a <see cref="TrialRunner"/> on a dedicated thread it
/// starts per trial (so all of a trial's libtorch calls stay on one thread), while its own mailbox stays free to answer
/// <see cref="GetTrainerStatus"/>, <see cref="CancelTrial"/> and <see cref="StopTrialEarly"/>.
/// </summary>
/// <remarks>
/// <para>Protocol (all records): <see cref="StartTrial"/> → to its sender <c>TrialStarted</c>,
/// <c>EvalRecorded</c>*, <c>CheckpointSaved</c>*, then one of <c>TrialFinished</c> / <c>TrialFailed</c> /
/// <see cref="TrialCancelled"/>; or <see cref="TrialRejected"/> when busy. The progress messages are the journal's
/// contract events (<c>AlgoPerf.Contracts.Events</c>), so an orchestrator can persist them as they come. A submission
/// that throws, a trial that cannot be set up (unknown workload, unreadable files) and even an exception escaping the
/// runner all end as <c>TrialFailed</c> with the stack trace; the actor itself never fails because of a trial.</para>
/// <para>Stopping the actor cancels a running trial (it ends before its next step, checkpointed).</para>
/// </remarks>
public sealed class TrainerActor : UntypedActor
{
    private readonly TrainerSettings _settings;
    private readonly TrialRunner _runner;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Running? _running;
    private readonly List<IActorRef> _drainers = [];
    private bool _draining;
    private int _trialsRun;

    /// <summary>Creates the actor (through <see cref="Props"/>).</summary>
    public TrainerActor(TrainerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _runner = new TrialRunner(settings.Runner);
    }

    /// <summary>Props for a trainer.</summary>
    public static Props Props(TrainerSettings settings) => Akka.Actor.Props.Create(() => new TrainerActor(settings));

    /// <inheritdoc/>
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case StartTrial start:
                Start(start);
                break;
            case CancelTrial cancel when _running?.Trial == cancel.Trial:
                _running.Control.Cancel();
                _running.Phase = TrainerPhase.Stopping;
                break;
            case StopTrialEarly stop when _running?.Trial == stop.Trial:
                _running.Control.StopEarly();
                _running.Phase = TrainerPhase.Stopping;
                break;
            case CancelTrial or StopTrialEarly:
                break;
            case DrainTrainer:
                Drain();
                break;
            case GetTrainerStatus:
                Sender.Tell(Status(), Self);
                break;
            case Progress progress when ReferenceEquals(progress.Run, _running):
                if (progress.Event is TrialStarted)
                {
                    _running.Phase = _running.Control.IsCancellationRequested ? TrainerPhase.Stopping : TrainerPhase.Training;
                }

                _running.Requester.Tell(progress.Event, Self);
                break;
            case Ended ended when ReferenceEquals(ended.Run, _running):
                Finish(ended);
                break;
            case Progress or Ended:
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <inheritdoc/>
    protected override void PostStop()
    {
        _running?.Control.Cancel();
    }

    private TrainerStatus Status()
    {
        var r = _running;
        return r is null
            ? new TrainerStatus(_settings.Device, TrainerPhase.Idle, null, 0, 0, 0, _trialsRun)
            : new TrainerStatus(_settings.Device, r.Phase, r.Trial, r.GlobalStep, r.EvalCount, r.SubmissionTime, _trialsRun);
    }

    private void Drain()
    {
        _draining = true;
        _drainers.Add(Sender);
        if (_running is { } r)
        {
            r.Control.Cancel();
            r.Phase = TrainerPhase.Stopping;
        }
        else
        {
            ReplyDrained();
        }
    }

    private void ReplyDrained()
    {
        foreach (var asker in _drainers)
        {
            asker.Tell(new TrainerDrained(_settings.Device), Self);
        }

        _drainers.Clear();
    }

    private void Start(StartTrial start)
    {
        if (_draining)
        {
            Sender.Tell(new TrialRejected(start.Trial, $"trainer {_settings.Device} is shutting down"), Self);
            return;
        }

        if (_running is { } r)
        {
            if (r.Trial != start.Trial)
            {
                Sender.Tell(new TrialRejected(start.Trial, $"trainer {_settings.Device} is running trial {r.Trial}"), Self);
            }

            return;
        }

        var run = new Running(start, Sender, Self);
        _running = run;
        var thread = new Thread(() => TrainOnThisThread(run))
        {
            IsBackground = true,
            Name = $"trainer {_settings.Device}: {start.Trial}",
        };
        thread.Start();
    }

    // Runs on the trial's dedicated thread; talks to the actor only by message and through the run's atomics.
    private void TrainOnThisThread(Running run)
    {
        try
        {
            var workload = _settings.Workloads(run.Trial.Workload);
            var submission = _settings.Submissions(run.Trial.Submission);
            var request = new TrialRequest(run.Trial, run.Start.Hyperparameters, run.Start.Seed, _settings.ClockFor(workload, run.Start.BudgetSec));
            var result = _runner.Run(workload, submission, request, new Observer(run, _settings.Runner.RunDirectory), run.Control);
            run.Self.Tell(new Ended(run, result, null), run.Self);
        }
#pragma warning disable CA1031 // Anything a trial throws becomes TrialFailed; the trainer must outlive it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            run.Self.Tell(new Ended(run, null, e), run.Self);
        }
    }

    private void Finish(Ended ended)
    {
        var run = ended.Run;
        _running = null;
        _trialsRun++;
        run.Control.Dispose();
        object reply;
        if (ended.Error is { } e)
        {
            _log.Error(e, "trial {0} could not run", run.Trial);
            reply = new TrialFailed(run.Trial, $"{e.GetType().FullName}: {e.Message}", e.ToString());
        }
        else
        {
            var outcome = ended.Result!.Outcome;
            reply = outcome.Reason switch
            {
                LoopEndReason.Failed => new TrialFailed(
                    run.Trial,
                    $"{outcome.Failure!.Phase} failed at step {outcome.Failure.GlobalStep}: {outcome.Failure.ExceptionType}: {outcome.Failure.Message}",
                    outcome.Failure.Details),
                LoopEndReason.Cancelled => new TrialCancelled(
                    run.Trial,
                    outcome.GlobalStep,
                    ended.Result.Checkpoints.Count > 0 && ended.Result.Checkpoints[^1].GlobalStep == outcome.GlobalStep
                        ? Path.GetRelativePath(_settings.Runner.RunDirectory, ended.Result.Checkpoints[^1].Path)
                        : null),
                _ => new TrialFinished(run.Trial, outcome.Reason.ToFinishReason()!.Value, outcome.GlobalStep, outcome.Score),
            };
        }

        run.Requester.Tell(reply, Self);
        if (_draining)
        {
            ReplyDrained();
        }
    }

    /// <summary>A trial in progress: written by the actor (phase) and by the trial thread (counters).</summary>
    private sealed class Running(StartTrial start, IActorRef requester, IActorRef self)
    {
        private long _globalStep;
        private long _submissionTimeBits;
        private int _evalCount;

        public StartTrial Start { get; } = start;

        public TrialId Trial => Start.Trial;

        public IActorRef Requester { get; } = requester;

        public IActorRef Self { get; } = self;

        public TrialControl Control { get; } = new();

        public TrainerPhase Phase { get; set; } = TrainerPhase.Starting;

        public long GlobalStep
        {
            get => Interlocked.Read(ref _globalStep);
            set => Interlocked.Exchange(ref _globalStep, value);
        }

        public double SubmissionTime
        {
            get => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _submissionTimeBits));
            set => Interlocked.Exchange(ref _submissionTimeBits, BitConverter.DoubleToInt64Bits(value));
        }

        public int EvalCount
        {
            get => Volatile.Read(ref _evalCount);
            set => Volatile.Write(ref _evalCount, value);
        }
    }

    /// <summary>Turns the runner's callbacks (trial thread) into messages to the actor.</summary>
    private sealed class Observer(Running run, string runDirectory) : ITrialObserver
    {
        public void Started(int preemptionCount, long resumedFromStep)
        {
            run.GlobalStep = resumedFromStep;
            run.Self.Tell(new Progress(run, new TrialStarted(run.Trial, preemptionCount, resumedFromStep)), run.Self);
        }

        public void StepEnded(long globalStep, double accumulatedSubmissionTime)
        {
            run.GlobalStep = globalStep;
            run.SubmissionTime = accumulatedSubmissionTime;
        }

        public void EvalRecorded(int evalIndex, EvalRecord record)
        {
            run.EvalCount = evalIndex + 1;
            var e = new EvalRecorded(run.Trial, evalIndex, record.GlobalStep, record.Score, record.Get("accumulated_eval_time"), record.Metrics);
            run.Self.Tell(new Progress(run, e), run.Self);
        }

        public void CheckpointSaved(CheckpointInfo checkpoint)
        {
            var e = new CheckpointSaved(run.Trial, checkpoint.GlobalStep, Path.GetRelativePath(runDirectory, checkpoint.Path), checkpoint.Sha256);
            run.Self.Tell(new Progress(run, e), run.Self);
        }
    }

    /// <summary>Trial thread → actor: an event for the requester.</summary>
    private sealed record Progress(Running Run, object Event);

    /// <summary>Trial thread → actor: the trial ended (a result, or an exception from setting it up).</summary>
    private sealed record Ended(Running Run, TrialRunResult? Result, Exception? Error);
}
