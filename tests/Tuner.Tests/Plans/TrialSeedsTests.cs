using AlgoPerf.Contracts.Ids;
using AlgoPerf.Tuner.Plans;

namespace AlgoPerf.Tuner.Tests.Plans;

public sealed class TrialSeedsTests
{
    // Expected values computed independently with Python's hashlib over the documented encoding.
    [Fact]
    public void Trial_DocumentedEncoding_MatchesIndependentSha256()
    {
        Assert.Equal(13381128579995827141UL, TrialSeeds.Trial(42, new TrialId("nadamw", "mnist", 1, 3)));
    }

    [Fact]
    public void StudyShuffle_DocumentedEncoding_MatchesIndependentSha256()
    {
        Assert.Equal(1169004377U, TrialSeeds.StudyShuffle(42, new StudyId("nadamw", "mnist", 1)));
    }

    [Fact]
    public void WorkloadShuffle_MaxRunSeed_MatchesIndependentSha256()
    {
        Assert.Equal(137924687U, TrialSeeds.WorkloadShuffle(ulong.MaxValue, "nadamw", "wmt"));
    }

    [Fact]
    public void Encode_LengthPrefixesStrings_SoFieldBoundariesCannotCollide()
    {
        var a = TrialSeeds.Encode("d", 0, "ab", "c");
        var b = TrialSeeds.Encode("d", 0, "a", "bc");

        Assert.NotEqual(a, b);
        Assert.Equal(4 + 1 + 8 + 4 + 2 + 4 + 1, a.Length);
    }

    [Fact]
    public void Trial_EveryFieldMatters_DifferentSeeds()
    {
        var baseId = new TrialId("s", "w", 0, 1);
        ulong[] seeds =
        [
            TrialSeeds.Trial(1, baseId),
            TrialSeeds.Trial(2, baseId),
            TrialSeeds.Trial(1, baseId with { Submission = "t" }),
            TrialSeeds.Trial(1, baseId with { Workload = "v" }),
            TrialSeeds.Trial(1, baseId with { Study = 1 }),
            TrialSeeds.Trial(1, baseId with { Trial = 2 }),
        ];

        Assert.Equal(seeds.Length, seeds.Distinct().Count());
    }
}
