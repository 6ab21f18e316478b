namespace AlgoPerf.Scorer.Model;

/// <summary>Everything one scoring run computed, stage by stage, for the CLI and the reports.</summary>
/// <param name="Ruleset">The ruleset scored.</param>
/// <param name="Options">The options used.</param>
/// <param name="Studies">Every study's decision, in input order.</param>
/// <param name="WorkloadTimes">Median over studies, columns = base + held-out workloads in alphabetical order (the reference's <c>time_to_targets.csv</c>).</param>
/// <param name="AfterRules">Times after the held-out and 4x rules; base columns only, in option order.</param>
/// <param name="Ratios">Ratios to the column best (the reference's quirks kept: NaN results keep the time).</param>
/// <param name="Tau">The τ grid.</param>
/// <param name="Rho">ρ(τ) per submission (row order of the tables).</param>
/// <param name="Scores">Benchmark score per submission (row order).</param>
public sealed record ScoringResult(
    string Ruleset,
    ScoringOptions Options,
    IReadOnlyList<StudyResult> Studies,
    TimeTable WorkloadTimes,
    TimeTable AfterRules,
    TimeTable Ratios,
    IReadOnlyList<double> Tau,
    IReadOnlyList<IReadOnlyList<double>> Rho,
    IReadOnlyList<double> Scores)
{
    /// <summary>Submission names, in row order.</summary>
    public IReadOnlyList<string> Submissions => WorkloadTimes.Submissions;

    /// <summary>The score of a submission by name.</summary>
    /// <exception cref="KeyNotFoundException">Unknown submission.</exception>
    public double ScoreOf(string submission)
    {
        for (var i = 0; i < Submissions.Count; i++)
        {
            if (Submissions[i] == submission)
            {
                return Scores[i];
            }
        }

        throw new KeyNotFoundException($"no submission '{submission}' was scored");
    }
}
