namespace AlgoPerf.Tuner.Plans;

/// <summary>How the studies of one (submission, workload) share the search space's points.</summary>
public enum StudyPointPolicy
{
    /// <summary>
    /// What the reference code does: every study calls <c>generate_search(space, N)</c>, so every study gets the same
    /// N points, in an order shuffled with the study's own seed. The default.
    /// </summary>
    Reference,

    /// <summary>
    /// What the reference docs describe: N × studies distinct points are drawn once per workload (one Halton sequence,
    /// shuffled with the workload's seed) and split into consecutive runs of N, study k taking the k-th run.
    /// </summary>
    Disjoint,
}
