using AlgoPerf.Contracts.Rules;
using AlgoPerf.Trainer.Running;
using AlgoPerf.Trainer.Submissions;
using AlgoPerf.Trainer.Timing;
using AlgoPerf.Trainer.Workloads;

namespace AlgoPerf.Trainer.Actors;

/// <summary>What a <see cref="TrainerActor"/> needs besides its messages.</summary>
public sealed record TrainerSettings
{
    /// <summary>The device this trainer owns (one trainer per device).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>
    /// The address of this host that the other ranks of a Gloo gang reach: Gloo's TCP transport and, on rank 0, the
    /// rendezvous store bind there. Loopback for one host; a cluster node's advertised address otherwise.
    /// </summary>
    public string GangHost { get; init; } = "127.0.0.1";

    /// <summary>Run directory, threads, checkpoint cadence, time source and logger of the trials.</summary>
    public required TrialRunnerOptions Runner { get; init; }

    /// <summary>The rules version (budget check and <c>prepare_for_eval</c> switches).</summary>
    public required RulesVersion Rules { get; init; }

    /// <summary>Resolves a workload by name (called on the trial thread; may load data, should cache).</summary>
    public required Func<string, Workload> Workloads { get; init; }

    /// <summary>Resolves a submission by name (called on the trial thread).</summary>
    public required Func<string, ISubmission> Submissions { get; init; }

    /// <summary>
    /// How often the trainer sends again the results its requester has not acknowledged (<c>ResultAck</c>): a result is
    /// kept until acknowledged, so a coordinator that died before persisting it gets it from the trainer again.
    /// </summary>
    public TimeSpan RedeliverEvery { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The runner's <c>--max_global_steps</c>, or null.</summary>
    public long? MaxGlobalSteps { get; init; }

    /// <summary>Overrides every workload's eval period (quick runs and tests); null keeps the workload's.</summary>
    public double? EvalPeriodSec { get; init; }

    /// <summary>The clock of a trial on <paramref name="workload"/> with the budget the requester gave.</summary>
    public ClockSettings ClockFor(Workload workload, double budgetSec)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return new ClockSettings(EvalPeriodSec ?? workload.EvalPeriodTimeSec, budgetSec, Rules.BudgetCheckedEveryStep, Rules.HasPrepareForEval, MaxGlobalSteps);
    }
}
