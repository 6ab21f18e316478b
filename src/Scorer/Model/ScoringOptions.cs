using AlgoPerf.Contracts.Scoring;

namespace AlgoPerf.Scorer.Model;

/// <summary>What a scoring run compares: the fixed base workloads, the held-out variants, and the study rule.</summary>
/// <param name="BaseWorkloads">The base workloads; their count is the profile's fixed denominator.</param>
/// <param name="HeldOutWorkloads">Held-out variant workloads (v0.5); empty for v0.6.</param>
/// <param name="Selection">How a study picks its trial.</param>
public sealed record ScoringOptions(
    IReadOnlyList<string> BaseWorkloads,
    IReadOnlyList<string> HeldOutWorkloads,
    StudySelectionRule Selection = StudySelectionRule.Reference)
{
    /// <summary>
    /// The base of a variant: the first base workload whose name is a substring of the variant's name (the reference's
    /// <c>get_base_workload_name</c>); null when none is.
    /// </summary>
    public string? BaseOf(string variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        return BaseWorkloads.FirstOrDefault(b => variant.Contains(b, StringComparison.Ordinal));
    }
}
