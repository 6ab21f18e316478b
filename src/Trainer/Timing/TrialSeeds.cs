using AlgoPerf.Trainer.Data;

namespace AlgoPerf.Trainer.Timing;

/// <summary>
/// The runner's split of a trial's seed (<c>data_rng, opt_init_rng, model_init_rng, rng = split(rng, 4)</c>),
/// derived with <see cref="Xoshiro256StarStar.DeriveSeed"/> (streams 0..3) instead of the reference's NumPy
/// imitation of JAX keys: deterministic, and independent of the .NET version.
/// </summary>
/// <param name="Data">Seeds the training input order.</param>
/// <param name="OptimizerInit">Handed to the submission's optimizer init.</param>
/// <param name="ModelInit">Seeds the model's initial parameters.</param>
/// <param name="Loop">The loop's key; each step's seeds derive from it (<see cref="StepSeeds.For"/>).</param>
public sealed record TrialSeeds(ulong Data, ulong OptimizerInit, ulong ModelInit, ulong Loop)
{
    /// <summary>Splits a trial seed.</summary>
    public static TrialSeeds From(ulong trialSeed) => new(
        Xoshiro256StarStar.DeriveSeed(trialSeed, 0),
        Xoshiro256StarStar.DeriveSeed(trialSeed, 1),
        Xoshiro256StarStar.DeriveSeed(trialSeed, 2),
        Xoshiro256StarStar.DeriveSeed(trialSeed, 3));
}
