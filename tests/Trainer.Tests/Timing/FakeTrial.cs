using AlgoPerf.Contracts.Rules;
using AlgoPerf.Trainer.Timing;
using Microsoft.Extensions.Time.Testing;

namespace AlgoPerf.Trainer.Tests.Timing;

/// <summary>
/// A scripted trial for the timed loop: each phase advances a fake clock by a fixed duration, and the eval returns
/// metrics computed from the step. Records every call so tests can assert the exact sequence.
/// </summary>
internal sealed class FakeTrial
{
    public FakeTimeProvider Time { get; } = new();

    public double SelectSec { get; init; }

    public double UpdateSec { get; init; } = 1;

    public double PrepareSec { get; init; }

    public double EvalSec { get; init; }

    public double LoggingSec { get; init; }

    /// <summary>Metrics of the eval at a step; default: validation and test accuracy 0 (never reach a target).</summary>
    public Func<long, IReadOnlyDictionary<string, double>> Metrics { get; init; } =
        _ => new Dictionary<string, double> { ["validation/accuracy"] = 0, ["test/accuracy"] = 0 };

    /// <summary>Called inside the update; may throw or return a loss.</summary>
    public Func<StepContext, UpdateResult> OnUpdate { get; init; } = _ => UpdateResult.NoLoss;

    public const ulong LoopSeed = 77;

    public bool WithPrepare { get; init; } = true;

    public List<string> Calls { get; } = [];

    public List<StepContext> UpdateContexts { get; } = [];

    public List<StepContext> PrepareContexts { get; } = [];

    public static WorkloadSpec Workload(double validationTarget = 0.5, double testTarget = 0.6) =>
        new("fake", null, "accuracy", MetricDirection.Maximize, validationTarget, testTarget, 100, 1000, 3);

    public AlgoPerfClock Clock(ClockSettings settings, Action? synchronize = null) => new(settings, Time, synchronize);

    public TimedLoop<int> Loop(AlgoPerfClock clock, WorkloadSpec? workload = null, Action<EvalRecord>? afterEval = null) =>
        new(workload ?? Workload(), clock, Callbacks(afterEval), LoopSeed);

    public TimedLoopCallbacks<int> Callbacks(Action<EvalRecord>? afterEval = null) => new()
    {
        SelectData = ctx =>
        {
            Calls.Add($"select@{ctx.GlobalStep}");
            Advance(SelectSec);
            return (int)ctx.GlobalStep;
        },
        Update = (ctx, batch) =>
        {
            Calls.Add($"update@{ctx.GlobalStep}");
            UpdateContexts.Add(ctx);
            Advance(UpdateSec);
            return OnUpdate(ctx);
        },
        PrepareForEval = WithPrepare
            ? ctx =>
            {
                Calls.Add($"prepare@{ctx.GlobalStep}");
                PrepareContexts.Add(ctx);
                Advance(PrepareSec);
            }
            : null,
        Evaluate = ctx =>
        {
            Calls.Add($"eval@{ctx.GlobalStep}");
            Advance(EvalSec);
            return Metrics(ctx.GlobalStep);
        },
        AfterEval = record =>
        {
            Calls.Add($"log@{record.GlobalStep}");
            Advance(LoggingSec);
            afterEval?.Invoke(record);
        },
    };

    public void Advance(double seconds)
    {
        if (seconds > 0)
        {
            Time.Advance(TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond)));
        }
    }
}
