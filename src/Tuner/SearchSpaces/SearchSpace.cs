namespace AlgoPerf.Tuner.SearchSpaces;

/// <summary>
/// A parsed AlgoPerf <c>tuning_search_space.json</c>: either quasirandom dimensions (sampled with Halton) or fixed
/// points (used in file order). <see cref="Names"/> is the key order, which fixes the Halton dimensions and the
/// order of every point's values.
/// </summary>
public sealed class SearchSpace
{
    private SearchSpace(string source, SearchSpaceFormat format, IReadOnlyList<string> names, IReadOnlyList<HyperparameterSpec> parameters, IReadOnlyList<HyperparameterPoint> fixedPoints)
    {
        Source = source;
        Format = format;
        Names = names;
        Parameters = parameters;
        FixedPoints = fixedPoints;
    }

    /// <summary>Where the space came from (a file path), used in error messages.</summary>
    public string Source { get; }

    /// <summary>Dict (quasirandom) or list (fixed points) format.</summary>
    public SearchSpaceFormat Format { get; }

    /// <summary>Hyperparameter names in key order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The dimensions of a quasirandom space, in key order; empty for fixed points.</summary>
    public IReadOnlyList<HyperparameterSpec> Parameters { get; }

    /// <summary>The points of a fixed-point space, in file order; empty for a quasirandom space.</summary>
    public IReadOnlyList<HyperparameterPoint> FixedPoints { get; }

    /// <summary>A quasirandom space over the given dimensions (at least one, distinct names).</summary>
    public static SearchSpace Quasirandom(IReadOnlyList<HyperparameterSpec> parameters, string source = "<memory>")
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count == 0)
        {
            throw new ArgumentException("a search space needs at least one hyperparameter", nameof(parameters));
        }

        var names = parameters.Select(p => p.Name).ToList();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw new ArgumentException($"duplicate hyperparameter names in {source}", nameof(parameters));
        }

        return new SearchSpace(source, SearchSpaceFormat.Quasirandom, names, parameters.ToList(), []);
    }

    /// <summary>A fixed-point space (at least one point; every point has the first point's names).</summary>
    public static SearchSpace Fixed(IReadOnlyList<HyperparameterPoint> points, string source = "<memory>")
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            throw new ArgumentException("a fixed-point search space needs at least one point", nameof(points));
        }

        var names = points[0].Values.Select(v => v.Key).ToList();
        return new SearchSpace(source, SearchSpaceFormat.FixedPoints, names, [], points.ToList());
    }
}
