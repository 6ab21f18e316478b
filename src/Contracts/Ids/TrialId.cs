using System.Globalization;

namespace AlgoPerf.Contracts.Ids;

/// <summary>
/// Identifies one trial of a benchmark run: submission, workload, study (0-based, as the reference's <c>study_k</c>) and
/// trial (1-based, as the reference's <c>trial_k</c>).
/// </summary>
/// <param name="Submission">Submission name.</param>
/// <param name="Workload">Workload name.</param>
/// <param name="Study">Study index, from 0.</param>
/// <param name="Trial">Trial index, from 1.</param>
public sealed record TrialId(string Submission, string Workload, int Study, int Trial)
{
    /// <summary>The study this trial belongs to.</summary>
    public StudyId StudyId => new(Submission, Workload, Study);

    /// <summary><c>submission/workload/study_k/trial_n</c>: the persistence id suffix and log-directory shape.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Submission}/{Workload}/study_{Study}/trial_{Trial}");
}
