using AlgoPerf.Tuner.Halton;

namespace AlgoPerf.Tuner.Tests.Halton;

public sealed class NumpyLegacyRandomTests
{
    [Fact]
    public void NextUInt32_Seed5489_MatchesMt19937ReferenceOutput()
    {
        // The first outputs of MT19937 after init_genrand(5489) (the generator's published default-seed stream).
        var rng = new NumpyLegacyRandom(5489);

        Assert.Equal([3499211612U, 581869302U, 3890346734U], [rng.NextUInt32(), rng.NextUInt32(), rng.NextUInt32()]);
    }

    [Fact]
    public void RandomSample_Seed0_MatchesNumpy()
    {
        // numpy.random.RandomState(0).random_sample(2) == [0.5488135039273248, 0.7151893663724195].
        var rng = new NumpyLegacyRandom(0);

        Assert.Equal(0.5488135039273248, rng.RandomSample());
        Assert.Equal(0.7151893663724195, rng.RandomSample());
    }

    [Fact]
    public void Interval_Zero_DrawsNothing()
    {
        var a = new NumpyLegacyRandom(7);
        var b = new NumpyLegacyRandom(7);

        Assert.Equal(0U, a.Interval(0));
        Assert.Equal(b.NextUInt32(), a.NextUInt32());
    }

    [Fact]
    public void Interval_Bound_MasksAndRejectsAboveBound()
    {
        var rng = new NumpyLegacyRandom(3);
        var raw = new NumpyLegacyRandom(3);

        var value = rng.Interval(5);

        // Mask 7: the first masked raw output that is <= 5.
        uint expected;
        do
        {
            expected = raw.NextUInt32() & 7U;
        }
        while (expected > 5);
        Assert.Equal(expected, value);
    }

    [Fact]
    public void Shuffle_List_IsAPermutation()
    {
        var items = Enumerable.Range(1, 990).ToList();

        new NumpyLegacyRandom(991).Shuffle(items);

        Assert.Equal(Enumerable.Range(1, 990), items.Order());
        Assert.NotEqual(Enumerable.Range(1, 990), items);
    }
}
