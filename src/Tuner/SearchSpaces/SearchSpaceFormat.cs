namespace AlgoPerf.Tuner.SearchSpaces;

/// <summary>The two shapes of an AlgoPerf <c>tuning_search_space.json</c>.</summary>
public enum SearchSpaceFormat
{
    /// <summary>A JSON object of hyperparameter ranges, sampled with the Halton sequence.</summary>
    Quasirandom,

    /// <summary>A JSON array of fixed points, used in file order.</summary>
    FixedPoints,
}
