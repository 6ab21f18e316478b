using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Tuner.SearchSpaces;

namespace AlgoPerf.Tuner.Plans;

/// <summary>One trial of a study's plan.</summary>
/// <param name="Trial">The trial (1-based within its study).</param>
/// <param name="Hyperparameters">Its hyperparameters, in search-space order; empty for self-tuning.</param>
/// <param name="Seed">Its RNG seed (<see cref="TrialSeeds.Trial"/>).</param>
/// <param name="BudgetSec">The submission-time budget the runner enforces.</param>
public sealed record PlannedTrial(TrialId Trial, HyperparameterPoint Hyperparameters, ulong Seed, double BudgetSec)
{
    /// <summary>The event that records this trial in the journal.</summary>
    public TrialPlanned ToEvent() => new(Trial, Hyperparameters.Values, Seed, BudgetSec);

    /// <summary>The planned trial a <see cref="TrialPlanned"/> event records.</summary>
    public static PlannedTrial FromEvent(TrialPlanned e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new PlannedTrial(e.Trial, new HyperparameterPoint(e.Hyperparameters), e.Seed, e.BudgetSec);
    }
}
