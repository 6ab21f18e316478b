using AlgoPerf.Trainer.Data;

namespace AlgoPerf.Trainer.Timing;

/// <summary>
/// One iteration's seeds (<c>step_rng = fold_in(rng, global_step)</c>, then
/// <c>data_select_rng, update_rng, prep_eval_rng, eval_rng = split(step_rng, 4)</c>): a pure function of the loop
/// seed and the step count at the start of the iteration, so a resumed trial needs no RNG state for them.
/// </summary>
/// <param name="DataSelection">For the submission's data selection.</param>
/// <param name="Update">For the submission's update (e.g. dropout).</param>
/// <param name="PrepareForEval">For the submission's prepare_for_eval.</param>
/// <param name="Eval">For the workload's eval.</param>
public readonly record struct StepSeeds(ulong DataSelection, ulong Update, ulong PrepareForEval, ulong Eval)
{
    /// <summary>The seeds of the iteration that starts with <paramref name="globalStep"/> completed steps.</summary>
    public static StepSeeds For(ulong loopSeed, long globalStep)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(globalStep);
        var step = Xoshiro256StarStar.DeriveSeed(loopSeed, (ulong)globalStep);
        return new StepSeeds(
            Xoshiro256StarStar.DeriveSeed(step, 0),
            Xoshiro256StarStar.DeriveSeed(step, 1),
            Xoshiro256StarStar.DeriveSeed(step, 2),
            Xoshiro256StarStar.DeriveSeed(step, 3));
    }
}
