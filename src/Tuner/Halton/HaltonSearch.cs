using AlgoPerf.Tuner.SearchSpaces;

namespace AlgoPerf.Tuner.Halton;

/// <summary>
/// <c>halton.generate_search(space, num_trials)</c> with a reproducible final shuffle: quasirandom spaces get the
/// shuffled Halton points mapped per dimension; fixed-point spaces give their first
/// <c>min(num_trials, len)</c> points in file order (no shuffle, no sampling).
/// </summary>
public static class HaltonSearch
{
    /// <summary>The trial points, as the reference returns them after <c>numpy.random.seed(shuffleSeed)</c>.</summary>
    /// <param name="space">The search space.</param>
    /// <param name="numTrials">Number of points wanted (a fixed-point space may return fewer).</param>
    /// <param name="shuffleSeed">Seed of NumPy's global legacy RNG for the final shuffle of the point order.</param>
    public static IReadOnlyList<HyperparameterPoint> Generate(SearchSpace space, int numTrials, uint shuffleSeed)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentOutOfRangeException.ThrowIfNegative(numTrials);
        if (space.Format == SearchSpaceFormat.FixedPoints)
        {
            return space.FixedPoints.Take(numTrials).ToList();
        }

        var units = HaltonSequence.GenerateShuffled(numTrials, space.Parameters.Count, shuffleSeed);
        return units.Select(u => Map(space, u)).ToList();
    }

    /// <summary>Maps one unit point (one coordinate per dimension, in key order) to hyperparameter values.</summary>
    public static HyperparameterPoint Map(SearchSpace space, IReadOnlyList<double> unitPoint)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(unitPoint);
        if (unitPoint.Count != space.Parameters.Count)
        {
            throw new ArgumentException($"{unitPoint.Count} coordinates for {space.Parameters.Count} dimensions", nameof(unitPoint));
        }

        return new HyperparameterPoint(space.Parameters.Select((p, d) => new KeyValuePair<string, double>(p.Name, p.Map(unitPoint[d]))));
    }
}
