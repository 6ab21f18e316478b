using AlgoPerf.Contracts.Rules;
using AlgoPerf.Contracts.Scoring;
using AlgoPerf.Scorer.Input;
using AlgoPerf.Scorer.Model;

namespace AlgoPerf.Scorer.Live;

/// <summary>What the live scorer projects: one ruleset's pool, its targets, and the planned shape of every study.</summary>
/// <param name="Ruleset">The ruleset name carried into <c>ScoresChanged</c>.</param>
/// <param name="Targets">Metric, direction and target per workload.</param>
/// <param name="Options">Base and held-out workloads, study selection rule.</param>
/// <param name="StudiesPerWorkload">Planned studies per (submission, workload), numbered from 0.</param>
/// <param name="TrialsPerStudy">Planned trials per study, numbered from 1.</param>
/// <param name="Submissions">Submissions known in advance (scored even before their first event); others join when seen.</param>
public sealed record LiveScoringSetup(
    string Ruleset,
    WorkloadTargets Targets,
    ScoringOptions Options,
    int StudiesPerWorkload,
    int TrialsPerStudy,
    IReadOnlyList<string> Submissions)
{
    /// <summary>
    /// The workloads the run trains (its variants too), in its order: what <see cref="RunProjection"/> shows. Default:
    /// the scored workloads (base, then held-out).
    /// </summary>
    public IReadOnlyList<string> RunWorkloads
    {
        get => field ?? [.. Options.BaseWorkloads, .. Options.HeldOutWorkloads];
        init;
    }

    /// <summary>A setup from a built-in rules version: its targets, bases, held-out list, study and trial counts.</summary>
    public static LiveScoringSetup FromRules(RulesVersion rules, Ruleset ruleset, StudySelectionRule selection, IReadOnlyList<string> submissions)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var targets = WorkloadTargets.FromRules(rules);
        return new LiveScoringSetup(
            ruleset.ToWire(),
            targets,
            new ScoringOptions(targets.BaseWorkloads, targets.HeldOutWorkloads, selection),
            rules.Studies(ruleset),
            rules.Trials(ruleset),
            submissions);
    }
}
