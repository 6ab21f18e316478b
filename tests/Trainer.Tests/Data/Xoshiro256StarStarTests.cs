using AlgoPerf.Trainer.Data;

namespace AlgoPerf.Trainer.Tests.Data;

public sealed class Xoshiro256StarStarTests
{
    [Fact]
    public void NextUInt64_ReferenceState1234_MatchesPublishedSequence()
    {
        // xoshiro256** from the state {1, 2, 3, 4} (the reference C implementation's test vector).
        var rng = new Xoshiro256StarStar(new RandomState(1, 2, 3, 4));
        Assert.Equal([11520UL, 0UL, 1509978240UL, 1215971899390074240UL], new[] { rng.NextUInt64(), rng.NextUInt64(), rng.NextUInt64(), rng.NextUInt64() });
    }

    [Fact]
    public void Constructor_Seed0_StateIsSplitMix64Outputs()
    {
        // SplitMix64 from 0: the first output is 0xE220A8397B1DCDAF.
        Assert.Equal(0xE220A8397B1DCDAFUL, new Xoshiro256StarStar(0).State.S0);
    }

    [Fact]
    public void State_SavedAndRestored_ContinuesIdentically()
    {
        var rng = new Xoshiro256StarStar(42);
        rng.NextUInt64();
        var saved = rng.State;
        var expected = Enumerable.Range(0, 5).Select(_ => rng.NextUInt64()).ToArray();

        var restored = new Xoshiro256StarStar(saved);
        Assert.Equal(expected, Enumerable.Range(0, 5).Select(_ => restored.NextUInt64()));
    }

    [Fact]
    public void State_AllZero_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Xoshiro256StarStar(new RandomState(0, 0, 0, 0)));
    }

    [Fact]
    public void NextInt_SmallRange_HitsEveryValueAndStaysInRange()
    {
        var rng = new Xoshiro256StarStar(7);
        var counts = new int[7];
        for (var i = 0; i < 7000; i++)
        {
            counts[rng.NextInt(7)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 850, 1150));
    }

    [Fact]
    public void NextDouble_ManyDraws_InUnitIntervalWithMeanNearHalf()
    {
        var rng = new Xoshiro256StarStar(3);
        var draws = Enumerable.Range(0, 10_000).Select(_ => rng.NextDouble()).ToArray();
        Assert.All(draws, d => Assert.InRange(d, 0.0, 0.9999999999999999));
        Assert.InRange(draws.Average(), 0.49, 0.51);
    }

    [Fact]
    public void NextGaussian_ManyDraws_MeanZeroVarianceOne()
    {
        var rng = new Xoshiro256StarStar(5);
        var draws = Enumerable.Range(0, 20_000).Select(_ => rng.NextGaussian()).ToArray();
        var mean = draws.Average();
        var variance = draws.Select(d => (d - mean) * (d - mean)).Average();
        Assert.InRange(mean, -0.03, 0.03);
        Assert.InRange(variance, 0.96, 1.04);
    }

    [Fact]
    public void Permutation_SameSeed_SamePermutationOfAllIndices()
    {
        var a = new Xoshiro256StarStar(9).Permutation(1000);
        var b = new Xoshiro256StarStar(9).Permutation(1000);
        Assert.Equal(a, b);
        Assert.Equal(Enumerable.Range(0, 1000), a.Order());
        Assert.NotEqual(Enumerable.Range(0, 1000), a);
        Assert.NotEqual(a, new Xoshiro256StarStar(10).Permutation(1000));
    }

    [Fact]
    public void DeriveSeed_DifferentStreams_DifferentSeeds()
    {
        Assert.NotEqual(Xoshiro256StarStar.DeriveSeed(1, 0), Xoshiro256StarStar.DeriveSeed(1, 1));
        Assert.NotEqual(Xoshiro256StarStar.DeriveSeed(1, 0), Xoshiro256StarStar.DeriveSeed(2, 0));
        Assert.Equal(Xoshiro256StarStar.DeriveSeed(1, 3), Xoshiro256StarStar.DeriveSeed(1, 3));
    }
}
