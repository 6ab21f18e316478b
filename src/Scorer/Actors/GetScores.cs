namespace AlgoPerf.Scorer.Actors;

/// <summary>
/// Asks a <see cref="ScorerActor"/> for the current <c>ScoresChanged</c>. The answer waits until the scorer has caught
/// up with the events stored when it (re)started, so it never reflects a half-read journal.
/// </summary>
public sealed record GetScores
{
    /// <summary>The single instance.</summary>
    public static GetScores Instance { get; } = new();
}
