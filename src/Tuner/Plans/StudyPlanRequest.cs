using AlgoPerf.Contracts.Ids;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Contracts.Scoring;
using AlgoPerf.Tuner.SearchSpaces;

namespace AlgoPerf.Tuner.Plans;

/// <summary>Everything a study's plan is computed from.</summary>
/// <param name="Study">The study (its workload must be in <paramref name="Rules"/>).</param>
/// <param name="Rules">The rules version (studies, trials per study, budgets, targets).</param>
/// <param name="Ruleset">External tuning or self-tuning.</param>
/// <param name="Space">The submission's search space; required for external tuning, must be null for self-tuning.</param>
/// <param name="RunSeed">The run's seed, from which every trial seed and shuffle seed is derived.</param>
/// <param name="Policy">How studies share points.</param>
/// <param name="Selection">How the study picks its trial.</param>
/// <param name="EarlyStopping">Whether to stop trials that can no longer change the study's result.</param>
public sealed record StudyPlanRequest(
    StudyId Study,
    RulesVersion Rules,
    Ruleset Ruleset,
    SearchSpace? Space,
    ulong RunSeed,
    StudyPointPolicy Policy = StudyPointPolicy.Reference,
    StudySelectionRule Selection = StudySelectionRule.Reference,
    bool EarlyStopping = false);
