using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Contracts.Rules;

namespace AlgoPerf.Tuner.Plans;

/// <summary>
/// A study's plan header, persisted by its tuner before the study's <see cref="TrialPlanned"/> events in the same
/// atomic write. It records every choice that decides the study, so that recovery and later decisions never depend
/// on configuration read after the plan was made.
/// </summary>
/// <param name="Study">The study.</param>
/// <param name="Ruleset">Wire name of the ruleset (<c>external_tuning</c> / <c>self_tuning</c>).</param>
/// <param name="RulesVersion">The rules version's name.</param>
/// <param name="Policy">Wire name of the study point policy (<c>reference</c> / <c>disjoint</c>).</param>
/// <param name="ShuffleSeed">The NumPy seed of the point shuffle (the study's, or the workload's under disjoint).</param>
/// <param name="TrialCount">How many <see cref="TrialPlanned"/> events follow.</param>
/// <param name="ValidationMetric">The metric key the study is decided on, e.g. <c>validation/accuracy</c>.</param>
/// <param name="Direction">Whether that metric is minimised or maximised.</param>
/// <param name="ValidationTarget">The target value.</param>
/// <param name="Selection">Wire name of the study selection rule (<c>reference</c> / <c>fastest</c>).</param>
/// <param name="EarlyStopping">Whether trials that can no longer change the study's result are stopped.</param>
[EventContract("study-planned", 1)]
public sealed record StudyPlanned(
    StudyId Study,
    string Ruleset,
    string RulesVersion,
    string Policy,
    uint ShuffleSeed,
    int TrialCount,
    string ValidationMetric,
    MetricDirection Direction,
    double ValidationTarget,
    string Selection,
    bool EarlyStopping) : IEvent;
