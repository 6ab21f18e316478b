using AlgoPerf.Tuner.Halton;

namespace AlgoPerf.Tuner.Tests.Halton;

public sealed class HaltonSequenceTests
{
    [Fact]
    public void Primes_Below1000_AreThe167OddPrimes()
    {
        var primes = HaltonSequence.Primes(1000);

        Assert.Equal(167, primes.Count);
        Assert.Equal([3, 5, 7, 11, 13], primes.Take(5));
        Assert.Equal(997, primes[^1]);
    }

    [Fact]
    public void Bases_OneAndSevenDimensions_AreThePrimesJustBelow997()
    {
        Assert.Equal([991], HaltonSequence.Bases(1));
        Assert.Equal([947, 953, 967, 971, 977, 983, 991], HaltonSequence.Bases(7));
    }

    [Fact]
    public void Bases_MoreThan166Dimensions_UsesALargerSieve()
    {
        var bases = HaltonSequence.Bases(167);

        Assert.Equal(167, bases.Count);
        Assert.Equal(HaltonSequence.Primes(2000).SkipLast(1).TakeLast(167), bases);
    }

    [Fact]
    public void Generate_SameArguments_SameValues()
    {
        Assert.Equal(HaltonSequence.Generate(20, 4), HaltonSequence.Generate(20, 4));
    }

    [Fact]
    public void GenerateShuffled_Seed_PermutesTheUnshuffledPoints()
    {
        var plain = HaltonSequence.Generate(15, 3);
        var shuffled = HaltonSequence.GenerateShuffled(15, 3, 1);

        Assert.Equal(plain.Select(p => p[0]).Order(), shuffled.Select(p => p[0]).Order());
        Assert.NotEqual(plain.Select(p => p[0]), shuffled.Select(p => p[0]));
    }
}
