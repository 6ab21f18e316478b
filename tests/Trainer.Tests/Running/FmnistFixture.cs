using AlgoPerf.Contracts.Ids;
using AlgoPerf.Trainer.Running;
using AlgoPerf.Trainer.Timing;
using AlgoPerf.Trainer.Workloads;
using Microsoft.Extensions.Logging;

namespace AlgoPerf.Trainer.Tests.Running;

/// <summary>The smallest dev workload, loaded once per test process, and helpers to run short trials on it.</summary>
internal static class FmnistFixture
{
    private static readonly Lazy<Workload> s_workload = new(() => DevSuite.Load("fmnist_mlp"));

    public static Workload Workload => s_workload.Value;

    public static TrialId Trial(int trial = 1) => new("momentum_test", "fmnist_mlp", 0, trial);

    /// <summary>Evaluates after every step (eval period 0), so the eval steps do not depend on wall-clock time.</summary>
    public static ClockSettings Clock(long maxSteps) => new(0, 1e9, BudgetCheckedEveryStep: false, CallsPrepareForEval: true, maxSteps);

    public static TrialRequest Request(long maxSteps, int trial = 1) =>
        new(Trial(trial), [new("learning_rate", 0.05), new("momentum", 0.9)], 42, Clock(maxSteps));

    public static TrialRunnerOptions Options(string runDirectory, ILogger? logger = null) => new()
    {
        RunDirectory = runDirectory,
        IntraOpThreads = 1,
        Logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
    };
}
