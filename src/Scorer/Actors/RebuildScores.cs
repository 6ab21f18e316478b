namespace AlgoPerf.Scorer.Actors;

/// <summary>
/// Tells a <see cref="ScorerActor"/> to drop its projection and rebuild it from the journal's first event (the scores
/// are republished once it has caught up again, only if they differ).
/// </summary>
public sealed record RebuildScores
{
    /// <summary>The single instance.</summary>
    public static RebuildScores Instance { get; } = new();
}
