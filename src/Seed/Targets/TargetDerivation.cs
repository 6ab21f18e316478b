using AlgoPerf.Contracts.Rules;
using AlgoPerf.Scorer.Procedure;
using AlgoPerf.Trainer.Workloads;

namespace AlgoPerf.Seed.Targets;

/// <summary>One rerun of the selected configuration and what the derivation read from it.</summary>
/// <param name="Curve">The rerun's evals.</param>
/// <param name="BestValidation">Its best validation value (NaN: no eval).</param>
/// <param name="BestTest">Its best test value (NaN: no eval).</param>
/// <param name="Runtime">Its target-setting runtime: the accumulated submission time at its last eval, seconds.</param>
/// <param name="ReachedTarget">Whether its best validation value meets the derived validation target.</param>
internal sealed record RerunSummary(TrialCurve Curve, double BestValidation, double BestTest, double Runtime, bool ReachedTarget);

/// <summary>How one algorithm's tuning trials did: its best and median best validation value over the trials with one.</summary>
/// <param name="Submission">The algorithm.</param>
/// <param name="Trials">Its tuning trials.</param>
/// <param name="WithoutResult">Trials without a finite validation value (diverged at once, failed, never evaluated).</param>
/// <param name="Best">The best of its trials' best validation values (NaN: none).</param>
/// <param name="Median">The <c>np.median</c> of its trials' best validation values (NaN: none).</param>
internal sealed record AlgorithmSummary(string Submission, int Trials, int WithoutResult, double Best, double Median);

/// <summary>
/// What the target-setting procedure (docs/targets.md) gives for one workload: the selected configuration, the
/// reruns, and the validation target, test target, budget, step hint and eval period derived from them.
/// </summary>
internal sealed record DerivedTargets(
    WorkloadSpec Workload,
    int TuningTrials,
    IReadOnlyList<AlgorithmSummary> Algorithms,
    TrialCurve Selected,
    double SelectedBestValidation,
    IReadOnlyList<RerunSummary> Reruns,
    double ValidationTarget,
    double TestTarget,
    double MedianRuntime,
    double MaxRuntimeSec,
    int StepHint,
    double EvalPeriodSec);

/// <summary>
/// Steps 3, 5 and 6 of the dev suite's target-setting procedure (docs/targets.md), AlgoPerf's (<c>algoperf-rules.md</c>
/// §6.1) scaled down: select the tuning trial with the best validation result; the validation target is the
/// <c>np.median</c> of the reruns' best validation results; the test target the worst best-test result among the
/// reruns that reached the validation target; the budget 4/3 of the median target-setting runtime (the accumulated
/// submission time at the end of a rerun, whose schedule spans <c>0.75 · step_hint</c>), rounded up to 10 s; the eval
/// period a twentieth of the budget. The step hint is the one the runs scheduled with (their schedule is
/// <c>0.75 · step_hint</c>), as in AlgoPerf, where it was fixed before the runs.
/// </summary>
internal static class TargetDerivation
{
    /// <summary>Evals per budget the derived eval period gives (AlgoPerf's workloads have roughly 20 to 60).</summary>
    public const int EvalsPerBudget = 20;

    /// <summary>
    /// The tuning trial whose best validation value is the best of all (the first of equals, in the curves' order);
    /// trials without a finite validation value never win.
    /// </summary>
    /// <exception cref="InvalidOperationException">No trial has a finite validation value.</exception>
    public static TrialCurve SelectBest(IReadOnlyList<TrialCurve> tuning, WorkloadSpec workload)
    {
        ArgumentNullException.ThrowIfNull(tuning);
        ArgumentNullException.ThrowIfNull(workload);
        TrialCurve? best = null;
        var bestValue = double.NaN;
        foreach (var curve in tuning)
        {
            var value = curve.BestValidation(workload.Direction);
            if (!double.IsFinite(value))
            {
                continue;
            }

            if (best is null || (workload.Direction == MetricDirection.Maximize ? value > bestValue : value < bestValue))
            {
                (best, bestValue) = (curve, value);
            }
        }

        return best ?? throw new InvalidOperationException(
            $"{workload.Name}: none of the {tuning.Count} tuning trials has a finite {workload.ValidationMetricKey} (all diverged, failed or never evaluated)");
    }

    /// <summary>Derives targets, budget and eval period from the selected trial and its reruns.</summary>
    /// <param name="workload">The workload's current spec (direction, metric, step hint).</param>
    /// <param name="tuning">The tuning trials the selection was made from (summarised per algorithm).</param>
    /// <param name="selected">The selected tuning trial.</param>
    /// <param name="reruns">Its reruns (at least one with evals).</param>
    /// <exception cref="InvalidOperationException">No rerun has a finite validation value, or no runtime.</exception>
    public static DerivedTargets Derive(WorkloadSpec workload, IReadOnlyList<TrialCurve> tuning, TrialCurve selected, IReadOnlyList<TrialCurve> reruns)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(tuning);
        ArgumentNullException.ThrowIfNull(selected);
        ArgumentNullException.ThrowIfNull(reruns);
        var direction = workload.Direction;
        var worst = TargetSetting.Unreachable(direction == MetricDirection.Maximize ? MetricDirection.Minimize : MetricDirection.Maximize);

        // A rerun without a finite validation value (diverged at once) counts as the worst possible result, as an
        // infinite time counts in the scorer's medians: it pulls the median down rather than vanishing from it.
        var bests = reruns.Select(r => r.BestValidation(direction)).Select(v => double.IsNaN(v) ? worst : v).ToList();
        if (bests.Count == 0 || bests.All(v => !double.IsFinite(v)))
        {
            throw new InvalidOperationException($"{workload.Name}: no rerun of {selected.Submission} trial {selected.Trial} has a finite {workload.ValidationMetricKey}");
        }

        var validationTarget = NumPy.Median(bests);
        var summaries = reruns.Select((r, i) => new RerunSummary(
            r,
            r.BestValidation(direction),
            r.BestTest(direction),
            r.Evals.Count == 0 ? double.NaN : r.Evals[^1].SubmissionTime,
            double.IsFinite(bests[i]) && MetricDirections.Meets(direction, bests[i], validationTarget))).ToList();

        var reached = summaries.Where(s => s.ReachedTarget && !double.IsNaN(s.BestTest)).Select(s => s.BestTest).ToList();
        var testTarget = reached.Count == 0 ? double.NaN : direction == MetricDirection.Maximize ? reached.Min() : reached.Max();
        var runtimes = summaries.Select(s => s.Runtime).Where(double.IsFinite).ToList();
        if (runtimes.Count == 0)
        {
            throw new InvalidOperationException($"{workload.Name}: no rerun has a runtime (no eval rows)");
        }

        var medianRuntime = NumPy.Median(runtimes);
        var budget = Math.Ceiling(TargetSetting.BudgetMultiple * medianRuntime / 10.0) * 10.0;
        return new DerivedTargets(
            workload,
            tuning.Count,
            Summarize(tuning, direction),
            selected,
            selected.BestValidation(direction),
            summaries,
            validationTarget,
            testTarget,
            medianRuntime,
            budget,
            workload.StepHint,
            EvalPeriod(budget));
    }

    private static List<AlgorithmSummary> Summarize(IReadOnlyList<TrialCurve> tuning, MetricDirection direction) =>
        [.. tuning.GroupBy(c => c.Submission, StringComparer.Ordinal).Select(g =>
        {
            var bests = g.Select(c => c.BestValidation(direction)).Where(double.IsFinite).ToList();
            return new AlgorithmSummary(g.Key, g.Count(), g.Count() - bests.Count, TrialCurve.Best(bests, direction), NumPy.Median(bests));
        })];

    /// <summary>A twentieth of the budget: to 10 s from 10 s on, else to whole seconds, at least 1 s.</summary>
    public static double EvalPeriod(double budgetSec)
    {
        var period = budgetSec / EvalsPerBudget;
        return period >= 10 ? Math.Round(period / 10.0, MidpointRounding.AwayFromZero) * 10.0 : Math.Max(1.0, Math.Round(period, MidpointRounding.AwayFromZero));
    }
}
