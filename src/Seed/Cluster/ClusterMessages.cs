using Akka.Actor;
using AlgoPerf.Trainer.Actors;

namespace AlgoPerf.Seed.Cluster;

/// <summary>
/// Coordinator → a worker's agent (<c>/user/worker</c>): register with this coordinator. Sent to every worker that is
/// Up when the coordinator singleton starts (after a hand-over too) and to each worker that becomes Up later; repeated
/// until the worker answers.
/// </summary>
/// <param name="Coordinator">The coordinator singleton.</param>
public sealed record IdentifyWorker(IActorRef Coordinator);

/// <summary>Worker agent → coordinator: this host, and the benchmark it was started for.</summary>
/// <param name="Host">The worker's cluster address.</param>
/// <param name="Benchmark">The benchmark's identity (<c>benchmark.json</c> without its resume section) as the worker's configuration describes it.</param>
/// <param name="Devices">The worker's devices, one trainer each.</param>
public sealed record RegisterWorker(string Host, string Benchmark, IReadOnlyList<string> Devices);

/// <summary>Coordinator → worker agent: registered; attach the trainers to <paramref name="Scheduler"/>.</summary>
/// <param name="Scheduler">Where the trainers report from now on.</param>
public sealed record WorkerAccepted(IActorRef Scheduler);

/// <summary>Coordinator → worker agent: not part of this benchmark; the worker stops with <paramref name="Reason"/>.</summary>
/// <param name="Reason">Names the first field that differs.</param>
public sealed record WorkerRefused(string Reason);

/// <summary>Worker agent → coordinator: its trainers, attached, with what each runs and its unacknowledged results.</summary>
/// <param name="Host">The worker's cluster address.</param>
/// <param name="Trainers">One per device.</param>
public sealed record WorkerTrainers(string Host, IReadOnlyList<TrainerAttached> Trainers);

/// <summary>
/// Coordinator → every node (pub-sub topic <see cref="ClusterNodeConfig.BenchmarkTopic"/>): every study is decided and
/// the report is written; coordinators print <paramref name="ScoreText"/> and leave, workers leave.
/// </summary>
/// <param name="Benchmark">The benchmark's name.</param>
/// <param name="ScoreText">What <c>algoperf run</c> prints at its end: the studies, the score table, the report's path.</param>
public sealed record BenchmarkOver(string Benchmark, string ScoreText)
{
    /// <summary>The benchmark cannot finish (a study was given up, scoring failed): <see cref="ScoreText"/> says why.</summary>
    public bool Failed { get; init; }
}

/// <summary>Anyone → coordinator: answered with <see cref="CoordinatorState"/>.</summary>
public sealed record GetCoordinatorState
{
    /// <summary>The message.</summary>
    public static GetCoordinatorState Instance { get; } = new();
}

/// <summary>The coordinator's state, for health checks and <c>status</c>.</summary>
/// <param name="Recovered">The workers have attached (or the reconcile time passed), so trials are dispatched.</param>
/// <param name="Workers">Registered worker hosts.</param>
/// <param name="Over">Every study is decided.</param>
public sealed record CoordinatorState(bool Recovered, IReadOnlyList<string> Workers, bool Over);
