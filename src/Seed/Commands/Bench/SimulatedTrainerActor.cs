using Akka.Actor;
using AlgoPerf.Contracts.Delivery;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Trainer.Actors;

namespace AlgoPerf.Seed.Commands.Bench;

/// <summary>
/// A trainer without tensors for <c>bench cluster --simulated</c>: it speaks <see cref="TrainerActor"/>'s protocol and
/// lets a trial's budget pass as <c>budget x time-scale</c> of wall time on Akka's scheduler (its timers), so the
/// scheduler, remoting and the cluster carry the load of a real run while no device trains.
/// </summary>
/// <remarks>
/// <para><see cref="StartTrial"/> → <c>TrialStarted</c>, then <c>evals</c> <c>EvalRecorded</c>s evenly over the budget
/// (the last at its end), then <c>TrialFinished(BudgetExhausted)</c>, each as a <see cref="TrialReport"/> numbered
/// per trainer and kept until its <see cref="ResultAck"/> (<see cref="ReportOutbox"/>, as the real trainer); unacknowledged reports go again every
/// <c>redeliverEvery</c>, and with <see cref="TrainerAttached"/> to a requester that attaches (<see cref="AttachTrainer"/>).
/// A busy trainer rejects another trial; <see cref="CancelTrial"/> and <see cref="PauseForCutOff"/> pause the trial
/// (<see cref="TrialCancelled"/>, no checkpoint), <see cref="StopTrialEarly"/> ends it as stopped early. A resumed
/// trial runs its whole budget again (there is no checkpoint to resume from).</para>
/// <para>The first eval of a trial carries <see cref="IdleMetric"/>: the milliseconds this trainer waited between
/// reporting the end of its previous trial and receiving this one, the scheduler's turnaround as a trainer sees it.</para>
/// </remarks>
internal sealed class SimulatedTrainerActor : UntypedActor, IWithTimers
{
    /// <summary>The metric of the first eval of each trial (after the trainer's first) with the trainer's idle time in ms.</summary>
    public const string IdleMetric = "bench/idle_ms";

    private const string TrialTimer = "trial";
    private const string RedeliverTimer = "redeliver";
    private readonly string _device;
    private readonly double _timeScale;
    private readonly int _evals;
    private readonly TimeSpan _redeliverEvery;
    private readonly TimeProvider _time;
    private readonly ReportOutbox _outbox = new();
    private Run? _running;
    private long? _endedAt;
    private int _trialsRun;
    private bool _draining;

    /// <summary>Creates the trainer (through <see cref="Props"/>).</summary>
    public SimulatedTrainerActor(string device, double timeScale, int evals, TimeSpan redeliverEvery, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timeScale);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(evals);
        _device = device;
        _timeScale = timeScale;
        _evals = evals;
        _redeliverEvery = redeliverEvery;
        _time = time;
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props of a simulated trainer of <paramref name="device"/>.</summary>
    public static Props Props(string device, double timeScale, int evals, TimeSpan redeliverEvery, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new SimulatedTrainerActor(device, timeScale, evals, redeliverEvery, time));

    /// <inheritdoc />
    protected override void PreStart() => Timers.StartPeriodicTimer(RedeliverTimer, Redeliver.Instance, _redeliverEvery);

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case StartTrial start:
                Start(start);
                break;
            case Tick tick when ReferenceEquals(tick.Run, _running):
                Progress(tick.Run);
                break;
            case CancelTrial cancel when _running?.Trial == cancel.Trial:
                End(_running, new TrialCancelled(cancel.Trial, _running.Steps, null));
                break;
            case StopTrialEarly stop when _running?.Trial == stop.Trial:
                End(_running, new TrialFinished(stop.Trial, TrialEndReason.StoppedEarly, _running.Steps, _running.SimulatedSec));
                break;
            case PauseForCutOff when _running is { } cut:
                End(cut, new TrialCancelled(cut.Trial, cut.Steps, null));
                break;
            case DrainTrainer:
                _draining = true;
                if (_running is { } drained)
                {
                    End(drained, new TrialCancelled(drained.Trial, drained.Steps, null));
                }

                Sender.Tell(new TrainerDrained(_device), Self);
                break;
            case ResultAck ack:
                _outbox.Acknowledged(ack);
                break;
            case Redeliver:
                _outbox.Redeliver(Self);
                break;
            case AttachTrainer attach:
                _outbox.Attach(attach.Requester);
                Sender.Tell(new TrainerAttached(Self, _device, _running is { } r ? new RunningAttempt(r.Trial, r.Start.Attempt, r.Start.Gang) : null, _outbox.Unacknowledged), Self);
                break;
            case GetTrainerStatus:
                Sender.Tell(_running is { } s
                    ? new TrainerStatus(_device, TrainerPhase.Training, s.Trial, s.Steps, s.EvalsDone, s.SimulatedSec, _trialsRun)
                    : new TrainerStatus(_device, TrainerPhase.Idle, null, 0, 0, 0, _trialsRun), Self);
                break;
            case Tick or CancelTrial or StopTrialEarly or PauseForCutOff:
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Start(StartTrial start)
    {
        if (_draining || (_running is { } busy && busy.Trial != start.Trial))
        {
            Sender.Tell(new TrialRejected(start.Trial, _draining ? $"trainer {_device} is shutting down" : $"trainer {_device} is running trial {_running!.Trial}"), Self);
            return;
        }

        if (_running is not null)
        {
            return;
        }

        var now = _time.GetTimestamp();
        double? idleMs = _endedAt is { } ended ? _time.GetElapsedTime(ended, now).TotalMilliseconds : null;
        _outbox.Attach(Sender);
        _running = new Run(start, _evals, now, idleMs);
        Report(_running, new TrialStarted(start.Trial, 0, 0, start.Attempt));
        Schedule(_running);
    }

    // One eval is due: report it, and after the last the trial's end; else wait for the next.
    private void Progress(Run run)
    {
        var index = run.EvalsDone++;
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal) { ["validation/loss"] = 1.0 / (index + 2) };
        if (index == 0 && run.IdleMs is { } idle)
        {
            metrics[IdleMetric] = idle;
        }

        Report(run, new EvalRecorded(run.Trial, index, run.Steps, run.SimulatedSec, 0, metrics));
        if (run.EvalsDone == _evals)
        {
            End(run, new TrialFinished(run.Trial, TrialEndReason.BudgetExhausted, run.Steps, run.SimulatedSec));
            return;
        }

        Schedule(run);
    }

    // The next eval is due at (index + 1) / evals of the budget, measured from the trial's start so timer lateness
    // does not add up.
    private void Schedule(Run run)
    {
        var dueSec = run.Start.BudgetSec * (run.EvalsDone + 1) / _evals * _timeScale;
        var delay = TimeSpan.FromSeconds(dueSec) - _time.GetElapsedTime(run.StartedAt);
        Timers.StartSingleTimer(TrialTimer, new Tick(run), delay > TimeSpan.Zero ? delay : TimeSpan.Zero);
    }

    private void End(Run run, object outcome)
    {
        Timers.Cancel(TrialTimer);
        _running = null;
        _trialsRun++;
        _outbox.ResendAttempt(run.Trial, run.Start.Attempt, Self);
        Report(run, outcome);
        _endedAt = _time.GetTimestamp();
    }

    private void Report(Run run, object body) => _outbox.Send(run.Trial, run.Start.Attempt, body, Self);

    /// <summary>The trial this trainer runs.</summary>
    private sealed class Run(StartTrial start, int evals, long startedAt, double? idleMs)
    {
        public StartTrial Start { get; } = start;

        public TrialId Trial => Start.Trial;

        /// <summary>The <see cref="TimeProvider"/> timestamp of its start.</summary>
        public long StartedAt { get; } = startedAt;

        /// <summary>How long the trainer was idle before it (null for the trainer's first trial).</summary>
        public double? IdleMs { get; } = idleMs;

        /// <summary>Evals reported so far.</summary>
        public int EvalsDone { get; set; }

        /// <summary>Simulated submission time at the latest eval.</summary>
        public double SimulatedSec => Start.BudgetSec * EvalsDone / evals;

        /// <summary>One step per simulated second.</summary>
        public long Steps => (long)SimulatedSec;
    }

    /// <summary>Timer → trainer: the running trial's next eval is due.</summary>
    private sealed record Tick(Run Run);

    /// <summary>Timer → trainer: send the unacknowledged reports again.</summary>
    private sealed record Redeliver
    {
        public static Redeliver Instance { get; } = new();
    }
}
