using AlgoPerf.Contracts.Ids;
using AlgoPerf.Trainer.Timing;

namespace AlgoPerf.Trainer.Running;

/// <summary>
/// One trial to run: which (its id names the submission, workload, study and trial, and so its log directory), with
/// which hyperparameters and seed, under which clock. The tuner's <c>PlannedTrial</c> maps onto it one to one
/// (<c>Trial</c>, <c>Hyperparameters.Values</c>, <c>Seed</c>; <c>BudgetSec</c> goes into <see cref="Clock"/>).
/// </summary>
/// <param name="Trial">The trial; its directory is <c>TrialLogLayout.TrialDirectory(run, submission, study, workload, trial)</c>.</param>
/// <param name="Hyperparameters">Name to value in search-space order; null under self-tuning (no <c>hparams.json</c>).</param>
/// <param name="Seed">The trial's seed, split by <see cref="TrialSeeds.From"/>.</param>
/// <param name="Clock">Eval period, budget (self-tuning factor applied), rules-version switches, step limit.</param>
public sealed record TrialRequest(
    TrialId Trial,
    IReadOnlyList<KeyValuePair<string, double>>? Hyperparameters,
    ulong Seed,
    ClockSettings Clock);
