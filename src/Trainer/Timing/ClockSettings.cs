using AlgoPerf.Contracts.Rules;

namespace AlgoPerf.Trainer.Timing;

/// <summary>
/// The constants the AlgoPerf clock runs under for one trial (<c>algoperf-rules.md</c> §2, §5).
/// </summary>
/// <param name="EvalPeriodSec">The workload's <c>eval_period_time_sec</c>.</param>
/// <param name="MaxAllowedRuntimeSec">
/// The budget the runner enforces: <c>max_allowed_runtime_sec</c>, already multiplied by the self-tuning factor
/// where that ruleset applies (see <see cref="For"/>).
/// </param>
/// <param name="BudgetCheckedEveryStep">
/// v0.5 behaviour: <c>is_time_remaining</c> is recomputed after every step and a due eval still runs when the budget
/// is spent (the "free eval" of issue #719). v0.6 (false): recomputed only when an eval is due, after
/// <c>prepare_for_eval</c>, and the eval is skipped when the budget is spent.
/// </param>
/// <param name="CallsPrepareForEval">Whether the runner calls <c>prepare_for_eval</c> before a due eval (v0.6).</param>
/// <param name="MaxGlobalSteps">The runner's <c>--max_global_steps</c>: training completes when the step count reaches it.</param>
public sealed record ClockSettings(
    double EvalPeriodSec,
    double MaxAllowedRuntimeSec,
    bool BudgetCheckedEveryStep,
    bool CallsPrepareForEval,
    long? MaxGlobalSteps = null)
{
    /// <summary>The settings a rules version gives a workload under a ruleset.</summary>
    public static ClockSettings For(RulesVersion rules, WorkloadSpec workload, Ruleset ruleset, long? maxGlobalSteps = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(workload);
        return new ClockSettings(
            workload.EvalPeriodSec,
            rules.Budget(workload, ruleset),
            rules.BudgetCheckedEveryStep,
            rules.HasPrepareForEval,
            maxGlobalSteps);
    }
}
