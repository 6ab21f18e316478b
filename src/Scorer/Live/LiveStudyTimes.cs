namespace AlgoPerf.Scorer.Live;

/// <summary>One study as the live scorer sees it.</summary>
/// <param name="Current">The study time if no further hit came (the provisional and worst-case value); +infinity when none yet.</param>
/// <param name="BestCase">The smallest time the study can still end with.</param>
/// <param name="Finished">True when decided, or when no trial can still change the selection.</param>
public sealed record LiveStudyTimes(double Current, double BestCase, bool Finished);
