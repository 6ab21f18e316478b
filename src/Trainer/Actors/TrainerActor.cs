using Akka.Actor;
using Akka.Event;
using AlgoPerf.Contracts.Delivery;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Trainer.Checkpoints;
using AlgoPerf.Trainer.Distributed;
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
/// <para>A <see cref="StartTrial"/> with a <see cref="GangAssignment"/> makes this trainer one rank of a data-parallel
/// gang: its trial thread joins the gang's collectives and runs its rank of the trial. Only rank 0 reports progress
/// (<c>TrialStarted</c>, <c>EvalRecorded</c>, <c>CheckpointSaved</c>); every rank reports its end, and a rank whose gang
/// failed (another rank died or hangs) reports <see cref="GangFailed"/>.</para>
/// </remarks>
public sealed class TrainerActor : UntypedActor, IWithTimers
{
    private const string RedeliverTimer = "redeliver";
    private readonly TrainerSettings _settings;
    private readonly TrialRunner _runner;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Running? _running;
    private readonly Dictionary<string, GangRendezvous> _rendezvous = new(StringComparer.Ordinal);
    private readonly List<IActorRef> _drainers = [];
    private readonly ReportOutbox _outbox = new();
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
    public ITimerScheduler Timers { get; set; } = null!;

    /// <inheritdoc/>
    protected override void PreStart() => Timers.StartPeriodicTimer(RedeliverTimer, Redeliver.Instance, _settings.RedeliverEvery);

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
            case GangRendezvous rendezvous:
                Rendezvous(rendezvous);
                break;
            case DrainTrainer:
                Drain();
                break;
            case ResultAck ack:
                _outbox.Acknowledged(ack);
                break;
            case Redeliver:
                _outbox.Redeliver(Self);
                break;
            case AttachTrainer attach:
                _outbox.Attach(attach.Requester);
                Sender.Tell(new TrainerAttached(Self, _settings.Device, _running is { } r ? new RunningAttempt(r.Trial, r.Start.Attempt, r.Start.Gang) : null, _outbox.Unacknowledged), Self);
                break;
            case PauseForCutOff when _running is { } cut:
                cut.Control.Cancel();
                cut.Phase = TrainerPhase.Stopping;
                break;
            case PauseForCutOff:
                break;
            case GetTrainerStatus:
                Sender.Tell(Status(), Self);
                break;
            case Progress progress when ReferenceEquals(progress.Run, _running):
                if (progress.Event is TrialStarted)
                {
                    _running.Phase = _running.Control.IsCancellationRequested ? TrainerPhase.Stopping : TrainerPhase.Training;
                }

                Report(_running, progress.Event);
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

    /// <summary>Sends a result of the running attempt to the requester and keeps it until acknowledged.</summary>
    private void Report(Running run, object body) => _outbox.Send(run.Trial, run.Start.Attempt, body, Self);

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

    private void Rendezvous(GangRendezvous rendezvous)
    {
        if (_running is { Start.Gang: { } gang } run && gang.GangId == rendezvous.GangId)
        {
            run.Rendezvous.TrySetResult(rendezvous);
        }
        else
        {
            // Rank 0 may start before this trainer got its StartTrial.
            _rendezvous[rendezvous.GangId] = rendezvous;
        }
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

        var run = new Running(start, Self);
        _outbox.Attach(Sender);
        _running = run;
        if (start.Gang is { } gang && _rendezvous.Remove(gang.GangId, out var rendezvous))
        {
            run.Rendezvous.SetResult(rendezvous);
        }

        // Addresses of gangs that never started here (rank 0 of an earlier attempt got further than this trainer) go.
        _rendezvous.Clear();
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
        IGradientReducer? gang = null;
        TrialRunResult? result = null;
        Exception? error = null;
        try
        {
            var workload = _settings.Workloads(run.Trial.Workload);
            var submission = _settings.Submissions(run.Trial.Submission);
            var request = new TrialRequest(run.Trial, run.Start.Hyperparameters, run.Start.Seed, _settings.ClockFor(workload, run.Start.BudgetSec));
            gang = run.Start.Gang is { } assignment ? JoinGang(assignment, run) : null;
            result = _runner.Run(workload, submission, request, new Observer(run, _settings.Runner.RunDirectory), run.Control, gang);
        }
#pragma warning disable CA1031 // Anything a trial throws becomes TrialFailed; the trainer must outlive it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            error = e;
        }
        finally
        {
            // The gang is left before the end is reported, so a trainer that reported is done with its collectives.
            gang?.Dispose();
        }

        run.Self.Tell(new Ended(run, result, error), run.Self);
    }

    // On the trial thread: this rank's end of the gang's collectives.
    private IGradientReducer JoinGang(GangAssignment gang, Running run) => gang.Reducer switch
    {
        GangReducers.InProcess => InProcessGangs.Join(gang.GangId, gang.Rank, gang.WorldSize, gang.Timeout),
        GangReducers.Gloo => JoinGlooGang(gang, run),
        GangReducers.Nccl => JoinNcclGang(gang, run),
        _ => throw new ArgumentException($"gang {gang.GangId}: unknown reducer '{gang.Reducer}' (known: {GangReducers.InProcess}, {GangReducers.Gloo}, {GangReducers.Nccl})"),
    };

    // Rank 0 hosts the rendezvous store and shares its address; Connect returns once every rank is connected, so the
    // store is not needed after it.
    private GlooReducer JoinGlooGang(GangAssignment gang, Running run)
    {
        using var store = gang.Rank == 0 ? new GlooStoreServer(System.Net.IPAddress.Parse(_settings.GangHost)) : null;
        var address = Share(gang, run, store is null ? null : new GangRendezvous(gang.GangId, store.Address)).StoreAddress
            ?? throw new GangFailedException($"rank {gang.Rank} of gang {gang.GangId}: rank 0 sent no rendezvous store address");
        return GlooReducer.Connect(gang.Rank, gang.WorldSize, address, gang.GangId, _settings.GangHost, gang.Timeout);
    }

    // Rank 0 creates the communicator's unique id and shares it; each rank uses its own CUDA device.
    private NcclReducer JoinNcclGang(GangAssignment gang, Running run)
    {
        var device = _settings.Device.StartsWith("cuda:", StringComparison.Ordinal)
            ? int.Parse(_settings.Device.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture)
            : throw new ArgumentException($"gang {gang.GangId}: the NCCL reducer needs a CUDA trainer (this one owns {_settings.Device})");
        var id = Share(gang, run, gang.Rank == 0 ? new GangRendezvous(gang.GangId, null, NcclReducer.CreateUniqueId()) : null).NcclUniqueId
            ?? throw new GangFailedException($"rank {gang.Rank} of gang {gang.GangId}: rank 0 sent no NCCL unique id");
        return NcclReducer.Connect(gang.Rank, gang.WorldSize, id, gang.Timeout, device);
    }

    // How to join the gang: rank 0 sends what it made to the other ranks' trainers through the actor system, and they
    // wait for it.
    private static GangRendezvous Share(GangAssignment gang, Running run, GangRendezvous? made)
    {
        if (made is null)
        {
            return AwaitRendezvous(gang, run);
        }

        foreach (var member in gang.Members.Skip(1))
        {
            member.Tell(made, run.Self);
        }

        return made;
    }

    // On a rank above 0: rank 0's rendezvous message, waited for on the trial thread at most the gang's timeout.
    private static GangRendezvous AwaitRendezvous(GangAssignment gang, Running run)
    {
        var task = run.Rendezvous.Task;
        if (!task.IsCompleted && !((IAsyncResult)task).AsyncWaitHandle.WaitOne(gang.Timeout))
        {
            throw new GangFailedException($"rank {gang.Rank} of gang {gang.GangId} waited {gang.Timeout.TotalSeconds:0.###} s for rank 0's rendezvous; rank 0 died or hangs");
        }

        return task.GetAwaiter().GetResult();
    }

    private void Finish(Ended ended)
    {
        var run = ended.Run;
        _running = null;
        _trialsRun++;
        run.Control.Dispose();
        object reply;
        if (ended.Error is GangFailedException gangFailed)
        {
            _log.Warning("trial {0}: gang {1} failed: {2}", run.Trial, run.Start.Gang?.GangId, gangFailed.Message);
            reply = new GangFailed(run.Trial, run.Start.Gang?.GangId ?? string.Empty, gangFailed.Message);
        }
        else if (ended.Error is { } e)
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

        _outbox.ResendAttempt(run.Trial, run.Start.Attempt, Self);
        Report(run, reply);
        if (_draining)
        {
            ReplyDrained();
        }
    }

    /// <summary>A trial in progress: written by the actor (phase) and by the trial thread (counters).</summary>
    private sealed class Running(StartTrial start, IActorRef self)
    {
        private long _globalStep;
        private long _submissionTimeBits;
        private int _evalCount;

        public StartTrial Start { get; } = start;

        public TrialId Trial => Start.Trial;

        public IActorRef Self { get; } = self;

        public TrialControl Control { get; } = new();

        /// <summary>How to join this rank's Gloo or NCCL gang, once rank 0's trainer sent it.</summary>
        public TaskCompletionSource<GangRendezvous> Rendezvous { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

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
        // Rank 0 speaks for a gang's trial; the other ranks only keep their trainer's status.
        private bool Speaks => run.Start.Gang is not { Rank: > 0 };

        public void Started(int preemptionCount, long resumedFromStep)
        {
            run.GlobalStep = resumedFromStep;
            if (Speaks)
            {
                run.Self.Tell(new Progress(run, new TrialStarted(run.Trial, preemptionCount, resumedFromStep, run.Start.Attempt)), run.Self);
            }
        }

        public void StepEnded(long globalStep, double accumulatedSubmissionTime)
        {
            run.GlobalStep = globalStep;
            run.SubmissionTime = accumulatedSubmissionTime;
        }

        public void EvalRecorded(int evalIndex, EvalRecord record)
        {
            run.EvalCount = evalIndex + 1;
            if (!Speaks)
            {
                return;
            }

            var e = new EvalRecorded(run.Trial, evalIndex, record.GlobalStep, record.Score, record.Get("accumulated_eval_time"), record.Metrics);
            run.Self.Tell(new Progress(run, e), run.Self);
        }

        public void CheckpointSaved(CheckpointInfo checkpoint)
        {
            if (!Speaks)
            {
                return;
            }

            var e = new CheckpointSaved(run.Trial, checkpoint.GlobalStep, Path.GetRelativePath(runDirectory, checkpoint.Path), checkpoint.Sha256);
            run.Self.Tell(new Progress(run, e), run.Self);
        }
    }

    /// <summary>Timer → actor: send the unacknowledged reports again.</summary>
    private sealed record Redeliver
    {
        public static Redeliver Instance { get; } = new();
    }

    /// <summary>Trial thread → actor: an event for the requester.</summary>
    private sealed record Progress(Running Run, object Event);

    /// <summary>Trial thread → actor: the trial ended (a result, or an exception from setting it up).</summary>
    private sealed record Ended(Running Run, TrialRunResult? Result, Exception? Error);
}
