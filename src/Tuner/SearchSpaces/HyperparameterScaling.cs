namespace AlgoPerf.Tuner.SearchSpaces;

/// <summary>How a Halton coordinate u in [0, 1) becomes a hyperparameter value.</summary>
public enum HyperparameterScaling
{
    /// <summary><c>"scaling": "linear"</c>: <c>u · (max − min) + min</c>.</summary>
    Linear,

    /// <summary><c>"scaling": "log"</c>: <c>min · exp(u · ln(max / min))</c>.</summary>
    Log,

    /// <summary><c>"feasible_points"</c>: <c>points[floor(u · count)]</c>.</summary>
    Discrete,
}
