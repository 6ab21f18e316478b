using AlgoPerf.Contracts.Events;

namespace AlgoPerf.Tuner.Plans;

/// <summary>A study's plan: the header and its trials, in trial order.</summary>
/// <param name="Header">The header event.</param>
/// <param name="Trials">The trials, trial 1 first.</param>
public sealed record StudyPlan(StudyPlanned Header, IReadOnlyList<PlannedTrial> Trials)
{
    /// <summary>The events that persist the plan, in order: the header, then one <see cref="TrialPlanned"/> per trial.</summary>
    public IReadOnlyList<IEvent> ToEvents() => [Header, .. Trials.Select(t => t.ToEvent())];

    /// <summary>Value equality including the trial list (records compare lists by reference).</summary>
    public bool SameAs(StudyPlan other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Header == other.Header && Trials.SequenceEqual(other.Trials);
    }
}
