namespace AlgoPerf.Contracts.Events;

/// <summary>One submission's provisional score and the range it can still move in.</summary>
/// <param name="Score">The score with unfinished studies counted as they stand now (infinite until a hit).</param>
/// <param name="BestCase">The score if every unfinished study ended as well as it still can.</param>
/// <param name="WorstCase">The score if every unfinished study ended without another hit.</param>
public sealed record SubmissionScore(double Score, double BestCase, double WorstCase);

/// <summary>The scorer's projection produced new scores.</summary>
/// <param name="Ruleset">The ruleset scored (<c>external_tuning</c> or <c>self_tuning</c>).</param>
/// <param name="Scores">Submission name to score.</param>
/// <param name="Final">True when every study of every submission is decided.</param>
[EventContract("scores-changed", 1)]
public sealed record ScoresChanged(string Ruleset, IReadOnlyDictionary<string, SubmissionScore> Scores, bool Final) : IEvent;
