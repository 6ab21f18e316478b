namespace AlgoPerf.Scorer.Actors;

/// <summary>Asks a <see cref="ScorerActor"/> for its <see cref="ScorerStatus"/> (answered at once).</summary>
public sealed record GetScorerStatus
{
    /// <summary>The single instance.</summary>
    public static GetScorerStatus Instance { get; } = new();
}
