using System.Globalization;

namespace AlgoPerf.Contracts.Ids;

/// <summary>Identifies one study: a (submission, workload, study index) triple.</summary>
/// <param name="Submission">Submission name.</param>
/// <param name="Workload">Workload name.</param>
/// <param name="Study">Study index, from 0.</param>
public sealed record StudyId(string Submission, string Workload, int Study)
{
    /// <summary>A trial of this study.</summary>
    public TrialId Trial(int trial) => new(Submission, Workload, Study, trial);

    /// <summary><c>submission/workload/study_k</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Submission}/{Workload}/study_{Study}");
}
