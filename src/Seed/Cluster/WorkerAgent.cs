using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using AlgoPerf.Trainer.Actors;

namespace AlgoPerf.Seed.Cluster;

/// <summary>How a worker ends.</summary>
/// <param name="ExitCode">0 when the benchmark is over; non-zero when refused or cut off.</param>
/// <param name="Message">What the worker prints.</param>
public sealed record WorkerExit(int ExitCode, string Message);

/// <summary>
/// A worker's agent (<c>/user/worker</c>): registers the host's trainers with whichever coordinator asks
/// (<see cref="IdentifyWorker"/>, again after a hand-over), attaching them to its scheduler so they re-send what it has
/// not acknowledged; pauses the trainers when the host has been cut off from every coordinator for
/// <c>cut-off-stop</c>; ends the worker when the benchmark is over or a coordinator refuses it.
/// </summary>
public sealed class WorkerAgent : UntypedActor, IWithTimers
{
    /// <summary>The agent's name under <c>/user</c>.</summary>
    public const string Name = "worker";

    private readonly IReadOnlyList<IActorRef> _trainers;
    private readonly IReadOnlyList<string> _devices;
    private readonly string _identity;
    private readonly TimeSpan _cutOffStop;
    private readonly TimeProvider _time;
    private readonly TaskCompletionSource<WorkerExit> _exit;
    private readonly NodeStatus _status;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private DateTimeOffset? _cutOffSince;
    private bool _paused;

    /// <summary>Creates the agent (through <see cref="Props"/>).</summary>
    public WorkerAgent(IReadOnlyList<IActorRef> trainers, IReadOnlyList<string> devices, string identity, TimeSpan cutOffStop, TimeProvider time, TaskCompletionSource<WorkerExit> exit, NodeStatus status)
    {
        _trainers = trainers;
        _devices = devices;
        _identity = identity;
        _cutOffStop = cutOffStop;
        _time = time;
        _exit = exit;
        _status = status;
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props of the agent.</summary>
    public static Props Props(IReadOnlyList<IActorRef> trainers, IReadOnlyList<string> devices, string identity, TimeSpan cutOffStop, TimeProvider time, TaskCompletionSource<WorkerExit> exit, NodeStatus status) =>
        Akka.Actor.Props.Create(() => new WorkerAgent(trainers, devices, identity, cutOffStop, time, exit, status));

    /// <inheritdoc />
    protected override void PreStart()
    {
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(ClusterNodeConfig.BenchmarkTopic, Self));
        Timers.StartPeriodicTimer("cut-off", CutOffTick.Instance, TimeSpan.FromSeconds(1));
    }

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case IdentifyWorker identify:
                identify.Coordinator.Tell(new RegisterWorker(_cluster.SelfAddress.ToString(), _identity, _devices), Self);
                break;
            case WorkerAccepted accepted:
                Attach(accepted.Scheduler, Sender);
                break;
            case Attached attached:
                attached.Coordinator.Tell(new WorkerTrainers(_cluster.SelfAddress.ToString(), attached.Trainers), Self);
                _status.Registered = true;
                _log.Info("worker: registered {0} trainer(s) with the coordinator on {1}", attached.Trainers.Count, attached.Coordinator.Path.Address);
                break;
            case WorkerRefused refused:
                _exit.TrySetResult(new WorkerExit(1, $"error: the coordinator refused this worker: {refused.Reason}"));
                break;
            case BenchmarkOver over:
                _exit.TrySetResult(new WorkerExit(0, $"algoperf worker: the benchmark {over.Benchmark} is over\n"));
                break;
            case CutOffTick:
                CheckCutOff();
                break;
            case SubscribeAck or Status.Failure:
                if (message is Status.Failure f)
                {
                    _log.Warning("worker: attaching the trainers failed ({0}); the coordinator asks again", f.Cause.Message);
                }

                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Attach(IActorRef scheduler, IActorRef coordinator)
    {
        var asks = _trainers.Select(t => t.Ask<TrainerAttached>(new AttachTrainer(scheduler), TimeSpan.FromSeconds(10)));
        Task.WhenAll(asks).PipeTo(Self, success: list => new Attached(coordinator, list));
    }

    // Reachable coordinators as this node sees them; none for cut-off-stop pauses the trials (they keep their results).
    private void CheckCutOff()
    {
        var state = _cluster.State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        var reachable = state.Members.Any(m => m.HasRole(ClusterNodeConfig.CoordinatorRole) && m.Status is MemberStatus.Up or MemberStatus.Leaving && !unreachable.Contains(m.Address));
        var now = _time.GetUtcNow();
        if (reachable || !_status.Up)
        {
            if (_paused)
            {
                _log.Info("worker: a coordinator is reachable again");
            }

            _cutOffSince = null;
            _paused = false;
            return;
        }

        _cutOffSince ??= now;
        if (!_paused && now - _cutOffSince.Value >= _cutOffStop)
        {
            _paused = true;
            _log.Warning("worker: cut off from every coordinator for {0} s; pausing the trials here (checkpointed; their results wait for a coordinator)", _cutOffStop.TotalSeconds);
            foreach (var trainer in _trainers)
            {
                trainer.Tell(PauseForCutOff.Instance, Self);
            }
        }
    }

    private sealed record Attached(IActorRef Coordinator, IReadOnlyList<TrainerAttached> Trainers);

    private sealed record CutOffTick
    {
        public static CutOffTick Instance { get; } = new();
    }
}
