using AlgoPerf.Contracts.Rules;

namespace AlgoPerf.Trainer.Workloads;

/// <summary>
/// The target-setting runs of AlgoPerf's procedure (<c>algoperf-rules.md</c> §6.1, §8.3), applied to a dev-suite
/// workload: the baselines schedule over <c>int(0.75 · step_hint)</c> steps (the reference's target-setting
/// algorithms do) and train to the end of that schedule; the targets are unreachable, so no run stops early on one;
/// there is no budget (the runs measure the time the budget is derived from: capping them by a budget derived
/// earlier, or an estimate, would cut a slower run short, e.g. a 1-thread tuning shard); and the eval period may be
/// made finer so the best validation result and the time it took are seen at a useful resolution.
/// </summary>
public static class TargetSetting
{
    /// <summary>The fraction of <c>step_hint</c> the target-setting schedule runs over.</summary>
    public const double ScheduleFraction = 0.75;

    /// <summary>The budget is this multiple of the target-setting runtime (v0.5's 4/3; the inverse of <see cref="ScheduleFraction"/>).</summary>
    public const double BudgetMultiple = 4.0 / 3.0;

    /// <summary>The schedule length <c>int(0.75 · step_hint)</c>: also the runs' step limit.</summary>
    public static int ScheduleSteps(int stepHint) => (int)(ScheduleFraction * stepHint);

    /// <summary>A target that the runner's strict rule and the scorer's rule never meet in <paramref name="direction"/>.</summary>
    public static double Unreachable(MetricDirection direction) =>
        direction == MetricDirection.Maximize ? double.PositiveInfinity : double.NegativeInfinity;

    /// <summary>
    /// The spec a target-setting run trains under: <c>step_hint</c> replaced by the schedule length (so a baseline's
    /// warmup and decay span <c>int(0.75 · step_hint)</c>, as the reference's target-setting algorithms compute),
    /// unreachable validation and test targets, no budget (an infinite <c>max_allowed_runtime_sec</c>: the step limit
    /// ends the run), and the eval period <paramref name="evalPeriodSec"/> when given.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A non-positive eval period, or a step hint whose schedule has no step.</exception>
    public static WorkloadSpec Spec(WorkloadSpec spec, double? evalPeriodSec = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (evalPeriodSec is double period && !(period > 0 && double.IsFinite(period)))
        {
            throw new ArgumentOutOfRangeException(nameof(evalPeriodSec), period, "the eval period must be a positive number of seconds");
        }

        var steps = ScheduleSteps(spec.StepHint);
        if (steps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), spec.StepHint, $"{spec.Name}: step_hint {spec.StepHint} leaves no target-setting step");
        }

        var unreachable = Unreachable(spec.Direction);
        return spec with
        {
            StepHint = steps,
            ValidationTarget = unreachable,
            TestTarget = unreachable,
            MaxRuntimeSec = double.PositiveInfinity,
            EvalPeriodSec = evalPeriodSec ?? spec.EvalPeriodSec,
        };
    }
}
