namespace AlgoPerf.Tuner.SearchSpaces;

/// <summary>
/// One dimension of a quasirandom search space: a continuous range with linear or log scaling, or a list of
/// feasible points. Maps a Halton coordinate exactly as <c>algoperf/halton.py</c> does.
/// </summary>
/// <param name="Name">The hyperparameter name (the JSON key).</param>
/// <param name="Scaling">Linear, log, or discrete.</param>
/// <param name="Min">Lower bound of a continuous range (0 for discrete).</param>
/// <param name="Max">Upper bound of a continuous range (0 for discrete).</param>
/// <param name="FeasiblePoints">The feasible points of a discrete dimension, in file order; empty otherwise.</param>
public sealed record HyperparameterSpec(string Name, HyperparameterScaling Scaling, double Min, double Max, IReadOnlyList<double> FeasiblePoints)
{
    /// <summary>A continuous range.</summary>
    public static HyperparameterSpec Range(string name, double min, double max, HyperparameterScaling scaling) =>
        scaling == HyperparameterScaling.Discrete
            ? throw new ArgumentException("a range is linear or log", nameof(scaling))
            : new(name, scaling, min, max, []);

    /// <summary>A discrete dimension.</summary>
    public static HyperparameterSpec Discrete(string name, IReadOnlyList<double> feasiblePoints) =>
        new(name, HyperparameterScaling.Discrete, 0, 0, feasiblePoints);

    /// <summary>The value for Halton coordinate <paramref name="u"/> in [0, 1), with the reference's exact arithmetic.</summary>
    public double Map(double u) => Scaling switch
    {
        HyperparameterScaling.Log => Min * Math.Exp(u * Math.Log(Max / Min)),
        HyperparameterScaling.Linear => (u * (Max - Min)) + Min,
        HyperparameterScaling.Discrete => FeasiblePoints[(int)Math.Floor(u * FeasiblePoints.Count)],
        _ => throw new InvalidOperationException($"unknown scaling {Scaling}"),
    };

    /// <summary>Whether <paramref name="value"/> is a value this dimension can produce (within its range, or a feasible point).</summary>
    public bool Contains(double value) => Scaling == HyperparameterScaling.Discrete
        ? FeasiblePoints.Contains(value)
        : value >= Min && value <= Max;
}
