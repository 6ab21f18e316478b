using Akka.Actor;
using AlgoPerf.Contracts.Delivery;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Seed.Cluster;
using AlgoPerf.Seed.Orchestration;
using AlgoPerf.Tuner.Actors;
using AlgoPerf.Tuner.Plans;

namespace AlgoPerf.Seed.Commands.Bench;

/// <content>The coordinator node's actors besides the scheduler: the registrar and the tuners' stand-in.</content>
internal sealed partial class ClusterBenchmark
{
    /// <summary>
    /// <see cref="CoordinatorActor"/>'s worker registration without its journal: asks every Up worker
    /// (<see cref="IdentifyWorker"/>), accepts it, and hands its attached trainers to the scheduler.
    /// </summary>
    private sealed class Registrar : UntypedActor, IWithTimers
    {
        private readonly IActorRef _scheduler;
        private readonly IReadOnlyList<(int Count, TaskCompletionSource Done)> _milestones;
        private readonly HashSet<Address> _workers = [];
        private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);

        public Registrar(IActorRef scheduler, IReadOnlyList<(int Count, TaskCompletionSource Done)> milestones)
        {
            _scheduler = scheduler;
            _milestones = milestones;
        }

        public ITimerScheduler Timers { get; set; } = null!;

        protected override void PreStart()
        {
            _cluster.Subscribe(Self, Akka.Cluster.ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(Akka.Cluster.ClusterEvent.MemberUp), typeof(Akka.Cluster.ClusterEvent.MemberWeaklyUp));
            Timers.StartPeriodicTimer("identify", Identify.Instance, TimeSpan.FromSeconds(2));
        }

        protected override void PostStop() => _cluster.Unsubscribe(Self);

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case Akka.Cluster.ClusterEvent.IMemberEvent up when up.Member.HasRole(ClusterNodeConfig.WorkerRole):
                    Ask(up.Member.Address);
                    break;
                case Akka.Cluster.ClusterEvent.IMemberEvent:
                    break;
                case Identify:
                    foreach (var member in _cluster.State.Members.Where(m => m.Status is Akka.Cluster.MemberStatus.Up or Akka.Cluster.MemberStatus.WeaklyUp && m.HasRole(ClusterNodeConfig.WorkerRole) && !_workers.Contains(m.Address)))
                    {
                        Ask(member.Address);
                    }

                    break;
                case RegisterWorker register:
                    Sender.Tell(register.Benchmark == ClusterBenchmark.Identity ? new WorkerAccepted(_scheduler) : new WorkerRefused($"not {ClusterBenchmark.Identity}"), Self);
                    break;
                case WorkerTrainers trainers:
                    foreach (var trainer in trainers.Trainers)
                    {
                        _scheduler.Tell(trainer, Self);
                    }

                    _workers.Add(Sender.Path.Address);
                    foreach (var milestone in _milestones.Where(m => m.Count <= _workers.Count))
                    {
                        milestone.Done.TrySetResult();
                    }

                    break;
                default:
                    Unhandled(message);
                    break;
            }
        }

        private void Ask(Address worker) =>
            Context.ActorSelection(new RootActorPath(worker) / "user" / WorkerAgent.Name).Tell(new IdentifyWorker(Self), Self);

        private sealed record Identify
        {
            public static Identify Instance { get; } = new();
        }
    }

    /// <summary>
    /// Plays the tuners: asks the scheduler for every planned trial, then lets it dispatch (<see cref="ReconcileDone"/>),
    /// and acknowledges each <see cref="AttemptOutcome"/> to its trainer at once (a tuner does once it has persisted it).
    /// </summary>
    private sealed class TunerStandIn : UntypedActor
    {
        private readonly IActorRef _scheduler;
        private readonly IReadOnlyList<PlannedTrial> _plan;
        private readonly int _firstWave;
        private readonly TimeProvider _time;
        private readonly TaskCompletionSource<Result> _done;
        private readonly HashSet<AlgoPerf.Contracts.Ids.TrialId> _started = [];
        private readonly HashSet<AlgoPerf.Contracts.Ids.TrialId> _finished = [];
        private readonly HashSet<(IActorRef Trainer, long Seq)> _seen = [];
        private readonly List<double> _idle = [];
        private long _begun;
        private long _scheduledAt;
        private long _firstWaveAt;
        private long _lastStartAt;
        private int _attempts;
        private int _evals;
        private int _failed;
        private int _duplicates;

        public TunerStandIn(IActorRef scheduler, IReadOnlyList<PlannedTrial> plan, int devices, TimeProvider time, TaskCompletionSource<Result> done)
        {
            _scheduler = scheduler;
            _plan = plan;
            _firstWave = Math.Min(devices, plan.Count);
            _time = time;
            _done = done;
        }

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case Begin:
                    _begun = _time.GetTimestamp();
                    foreach (var trial in _plan)
                    {
                        _scheduler.Tell(new RunTrial(trial), Self);
                    }

                    _scheduler.Tell(ReconcileDone.Instance, Self);

                    // Answered once the scheduler has queued the plan and dispatched the first wave.
                    _scheduler.Tell(new GetSchedulerStatus(), Self);
                    break;
                case SchedulerStatus:
                    _scheduledAt = _scheduledAt == 0 ? _time.GetTimestamp() : _scheduledAt;
                    break;
                case AttemptOutcome outcome:
                    var trialId = outcome.Outcome switch
                    {
                        TrialStarted e => e.Trial,
                        EvalRecorded e => e.Trial,
                        TrialFinished e => e.Trial,
                        TrialFailed e => e.Trial,
                        _ => throw new InvalidOperationException($"unexpected outcome {outcome.Outcome}"),
                    };
                    outcome.AckTo.Tell(new ResultAck(trialId, outcome.Attempt, outcome.Seq), Self);
                    if (!_seen.Add((outcome.AckTo, outcome.Seq)))
                    {
                        _duplicates++;
                        break;
                    }

                    Outcome(outcome.Outcome);
                    break;
                case TrialFinished or TrialFailed:
                    // The scheduler's own outcome (a trial whose trainer died too often): nothing to acknowledge.
                    Outcome((IEvent)message);
                    break;
                default:
                    Unhandled(message);
                    break;
            }
        }

        private void Outcome(IEvent outcome)
        {
            var now = _time.GetTimestamp();
            switch (outcome)
            {
                case TrialStarted started:
                    _attempts++;
                    _lastStartAt = now;
                    if (_started.Add(started.Trial) && _started.Count == _firstWave)
                    {
                        _firstWaveAt = now;
                    }

                    break;
                case EvalRecorded eval:
                    _evals++;
                    if (eval.Metrics.TryGetValue(SimulatedTrainerActor.IdleMetric, out var idle))
                    {
                        _idle.Add(idle);
                    }

                    break;
                case TrialFinished or TrialFailed:
                    _failed += outcome is TrialFailed ? 1 : 0;
                    var trial = outcome is TrialFinished f ? f.Trial : ((TrialFailed)outcome).Trial;
                    if (_finished.Add(trial) && _finished.Count == _plan.Count)
                    {
                        _done.TrySetResult(new Result(_time, _begun, _scheduledAt, _firstWaveAt, _lastStartAt, now, _attempts, _evals, _failed, _duplicates, _idle));
                    }

                    break;
            }
        }

        /// <summary>Parent → stand-in: send the plan.</summary>
        public sealed record Begin
        {
            public static Begin Instance { get; } = new();
        }

        /// <summary>What the run took: timestamps of the clock given, and counts.</summary>
        public sealed record Result(TimeProvider Time, long BegunAt, long ScheduledAt, long FirstWaveAt, long LastStartAt, long EndedAt, int Attempts, int Evals, int Failed, int Duplicates, IReadOnlyList<double> IdleMs)
        {
            /// <summary>Seconds from the start to <paramref name="timestamp"/>.</summary>
            public double Seconds(long timestamp) => Time.GetElapsedTime(BegunAt, timestamp).TotalSeconds;
        }
    }
}
