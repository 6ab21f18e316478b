using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Contracts.Diagnostics;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Scorer.Actors;
using AlgoPerf.Scorer.Live;
using AlgoPerf.Seed.Orchestration;
using AlgoPerf.Tuner.SearchSpaces;

namespace AlgoPerf.Seed.Cluster;

/// <summary>What the coordinator singleton is made of.</summary>
/// <param name="Settings">The benchmark.</param>
/// <param name="Identity">The benchmark's identity (<see cref="RunManifest.Identity"/>) that workers must share.</param>
/// <param name="Spaces">Each submission's search space.</param>
/// <param name="Backoff">How tuners restart.</param>
/// <param name="Gangs">Devices per trial and the gangs' rules.</param>
/// <param name="ReconcileTimeout">How long to wait for the Up workers to attach before dispatching.</param>
/// <param name="Report">Scores the logs, writes the report and returns the score text (run off the actor's thread).</param>
/// <param name="Status">This node's status, for /health.</param>
/// <param name="Time">The clock of the cluster view's time stamps.</param>
/// <param name="LiveScoring">The live scorer's setup (provisional scores from the journal, logged as trials end).</param>
public sealed record CoordinatorSetup(
    BenchmarkSettings Settings,
    string Identity,
    IReadOnlyDictionary<string, SearchSpace?> Spaces,
    RestartBackoff Backoff,
    GangSettings Gangs,
    TimeSpan ReconcileTimeout,
    Func<IReadOnlyList<StudyDecided>, string> Report,
    NodeStatus Status,
    TimeProvider Time,
    LiveScoringSetup LiveScoring);

/// <summary>
/// The coordinator, a cluster singleton on the coordinator role: the benchmark's tuners (<see cref="BenchmarkActor"/>,
/// recovered from the PostgreSQL journal), the <see cref="SchedulerActor"/> over the workers' trainers, the live
/// <see cref="ScorerActor"/> and the cluster view that <c>status --journal</c> reads. Workers
/// register through a protocol driven by cluster membership: the coordinator asks every Up worker
/// (<see cref="IdentifyWorker"/>), checks that it runs the same benchmark (<see cref="RegisterWorker"/>), and has it
/// attach its trainers to the scheduler (<see cref="WorkerTrainers"/>: what each runs and its unacknowledged results).
/// A new singleton (after its node died) dispatches nothing until the workers that were Up have attached or
/// <see cref="CoordinatorSetup.ReconcileTimeout"/> passed, so running trials are adopted, never started twice. When
/// every study is decided it writes the report and announces <see cref="BenchmarkOver"/> on pub-sub, again every
/// second, until the nodes have left.
/// </summary>
public sealed class CoordinatorActor : UntypedActor, IWithTimers
{
    private readonly CoordinatorSetup _setup;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly HashSet<Address> _expected = [];
    private readonly HashSet<Address> _attached = [];
    private readonly Dictionary<Address, IActorRef> _registered = [];
    private IActorRef _scheduler = ActorRefs.Nobody;
    private IActorRef _view = ActorRefs.Nobody;
    private IActorRef _sessions = ActorRefs.Nobody;
    private int _sessionTrainers = -1;
    private bool _recovered;
    private BenchmarkOver? _over;

    /// <summary>Creates the coordinator (through <see cref="Props"/>).</summary>
    public CoordinatorActor(CoordinatorSetup setup) => _setup = setup ?? throw new ArgumentNullException(nameof(setup));

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props of the singleton.</summary>
    public static Props Props(CoordinatorSetup setup) => Akka.Actor.Props.Create(() => new CoordinatorActor(setup));

    /// <inheritdoc />
    protected override void PreStart()
    {
        _log.Info("coordinator: starting on {0}; recovering {1} from the journal", _cluster.SelfAddress, _setup.Settings.Name);
        _setup.Status.SingletonHere = true;
        _scheduler = Context.ActorOf(
            SchedulerActor.Props([], TrainerBinding.RunMessage(_setup.Settings), TrainerBinding.CancelMessage, _setup.Gangs, reconcile: true),
            "scheduler");
        var done = new TaskCompletionSource<IReadOnlyList<StudyDecided>>(TaskCreationOptions.RunContinuationsAsynchronously);
        done.Task.PipeTo(Self, success: d => new Decided(d), failure: e => new BenchmarkFailed(e.GetBaseException().Message));
        Context.ActorOf(BenchmarkActor.Props(_setup.Settings, _setup.Spaces, _setup.Backoff, _scheduler, done), "benchmark");
        _view = Context.ActorOf(ClusterViewActor.Props(_setup.Settings.Name), "view");
        _sessions = Context.ActorOf(RunSessionActor.OnDemand(_setup.Settings), "session");

        // The live scorer follows the journal: provisional scores with best and worst case, in the node's log.
        var scorer = Context.ActorOf(ScorerActor.Props(_setup.LiveScoring), "scorer");
        scorer.Tell(new SubscribeScores(Context.ActorOf(ScoresListener.Props(new TaskCompletionSource<ScoresChanged>()), "scores")));
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.IMemberEvent));
        Timers.StartSingleTimer("reconcile", ReconcileTimedOut.Instance, _setup.ReconcileTimeout);
        Timers.StartPeriodicTimer("identify", IdentifyTick.Instance, TimeSpan.FromSeconds(2));
        Timers.StartPeriodicTimer("metrics", MetricsTick.Instance, TimeSpan.FromSeconds(2));
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _setup.Status.SingletonHere = false;
        _setup.Status.CoordinatorRecovered = false;
        _cluster.Unsubscribe(Self);
    }

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case ClusterEvent.CurrentClusterState state:
                foreach (var member in state.Members.Where(m => m.Status == MemberStatus.Up && m.HasRole(ClusterNodeConfig.WorkerRole)))
                {
                    _expected.Add(member.Address);
                    Identify(member.Address);
                }

                _log.Info("coordinator: {0} worker(s) up; waiting at most {1} s for them to attach before dispatching", _expected.Count, _setup.ReconcileTimeout.TotalSeconds);
                CheckReconciled();
                break;
            case ClusterEvent.MemberUp up when up.Member.HasRole(ClusterNodeConfig.WorkerRole):
                Identify(up.Member.Address);
                break;
            case ClusterEvent.MemberRemoved removed:
                _expected.Remove(removed.Member.Address);
                _attached.Remove(removed.Member.Address);
                _registered.Remove(removed.Member.Address);
                CheckReconciled();
                break;
            case ClusterEvent.IMemberEvent:
                break;
            case IdentifyTick:
                // Workers that are Up and have not registered yet (an IdentifyWorker lost while the worker started).
                foreach (var member in _cluster.State.Members.Where(m => m.Status == MemberStatus.Up && m.HasRole(ClusterNodeConfig.WorkerRole) && !_attached.Contains(m.Address)))
                {
                    Identify(member.Address);
                }

                break;
            case RegisterWorker register:
                Register(register, Sender);
                break;
            case WorkerTrainers trainers:
                foreach (var trainer in trainers.Trainers)
                {
                    _scheduler.Tell(trainer, Self);
                }

                _attached.Add(Sender.Path.Address);
                _log.Info("coordinator: worker {0} attached {1} trainer(s) ({2} running a trial)", trainers.Host, trainers.Trainers.Count, trainers.Trainers.Count(t => t.Running is not null));
                CheckReconciled();
                break;
            case ReconcileTimedOut:
                if (!_recovered)
                {
                    _log.Warning("coordinator: {0} of {1} worker(s) attached within {2} s; dispatching now", _attached.Count, _expected.Count, _setup.ReconcileTimeout.TotalSeconds);
                    Reconciled();
                }

                break;
            case MetricsTick:
                _scheduler.Ask<SchedulerAssignments>(new GetSchedulerAssignments(), TimeSpan.FromSeconds(2)).PipeTo(Self);
                if (_over is not null)
                {
                    Publish(_over);
                }

                break;
            case SchedulerAssignments assignments:
                AlgoPerfMetrics.SetTrialsByState(new Dictionary<string, int>(StringComparer.Ordinal) { ["queued"] = assignments.Queued, ["running"] = assignments.Running });
                _view.Tell(View(assignments), Self);
                if (assignments.Trainers.Count != _sessionTrainers && _recovered)
                {
                    // The run's devices changed (a worker came or went): a new session, so status counts device time right.
                    _sessionTrainers = assignments.Trainers.Count;
                    _sessions.Tell(new RecordRunSession(_sessionTrainers), Self);
                }

                break;
            case Decided decided:
                _log.Info("coordinator: every study of {0} is decided; scoring the logs", _setup.Settings.Name);
                var report = _setup.Report;
                Task.Run(() => report(decided.Studies)).PipeTo(Self, success: text => new BenchmarkOver(_setup.Settings.Name, text), failure: e => new BenchmarkFailed($"scoring the logs failed: {e.GetBaseException().Message}"));
                break;
            case BenchmarkFailed failed:
                _log.Error("coordinator: the benchmark cannot finish: {0}", failed.Reason);
                _over = new BenchmarkOver(_setup.Settings.Name, $"error: {failed.Reason}\n") { Failed = true };
                Publish(_over);
                break;
            case BenchmarkOver over:
                _over = over;
                Publish(over);
                break;
            case GetCoordinatorState:
                Sender.Tell(new CoordinatorState(_recovered, [.. _registered.Keys.Select(a => a.ToString()).Order(StringComparer.Ordinal)], _over is not null), Self);
                break;
            case GetSchedulerAssignments:
                _scheduler.Forward(message);
                break;
            case Status.Failure failure:
                _log.Debug("coordinator: {0}", failure.Cause.Message);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    // The members as this node sees them, with each worker's devices and their trials (for `status --journal`).
    private ClusterView View(SchedulerAssignments assignments)
    {
        var state = _cluster.State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        var byAddress = assignments.Trainers.ToLookup(t => t.Address, StringComparer.Ordinal);
        var members = state.Members
            .OrderBy(m => m.Address.ToString(), StringComparer.Ordinal)
            .Select(m => new ClusterMemberView(
                m.Address.ToString(),
                [.. m.Roles.Order(StringComparer.Ordinal)],
                m.Status.ToString(),
                !unreachable.Contains(m.Address),
                [.. byAddress[m.Address.Equals(_cluster.SelfAddress) ? "local" : m.Address.ToString()].Select(t => new ClusterDeviceView(t.Device, t.Trial))]))
            .ToList();
        return new ClusterView(_setup.Settings.Name, _setup.Settings.RunDirectory, _cluster.SelfAddress.ToString(), _setup.Time.GetUtcNow(), _over is not null, members);
    }

    private void Identify(Address worker) =>
        Context.ActorSelection(new RootActorPath(worker) / "user" / WorkerAgent.Name).Tell(new IdentifyWorker(Self), Self);

    private void Register(RegisterWorker register, IActorRef agent)
    {
        if (RunManifest.FirstDifference(_setup.Identity, register.Benchmark) is { } difference)
        {
            var reason = $"worker {register.Host} was started for another benchmark than the coordinators' {_setup.Settings.Name}: {difference}";
            _log.Error("coordinator: refused {0}", reason);
            agent.Tell(new WorkerRefused(reason), Self);
            return;
        }

        _registered[agent.Path.Address] = agent;
        agent.Tell(new WorkerAccepted(_scheduler), Self);
    }

    private void CheckReconciled()
    {
        if (!_recovered && _expected.IsSubsetOf(_attached))
        {
            Reconciled();
        }
    }

    private void Reconciled()
    {
        _recovered = true;
        _setup.Status.CoordinatorRecovered = true;
        _scheduler.Tell(ReconcileDone.Instance, Self);
    }

    private void Publish(BenchmarkOver over) =>
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Publish(ClusterNodeConfig.BenchmarkTopic, over));

    private sealed record Decided(IReadOnlyList<StudyDecided> Studies);

    private sealed record BenchmarkFailed(string Reason);

    private sealed record ReconcileTimedOut
    {
        public static ReconcileTimedOut Instance { get; } = new();
    }

    private sealed record IdentifyTick
    {
        public static IdentifyTick Instance { get; } = new();
    }

    private sealed record MetricsTick
    {
        public static MetricsTick Instance { get; } = new();
    }
}
