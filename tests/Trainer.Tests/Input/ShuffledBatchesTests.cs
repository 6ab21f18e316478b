using AlgoPerf.Trainer.Input;

namespace AlgoPerf.Trainer.Tests.Input;

public sealed class ShuffledBatchesTests
{
    [Fact]
    public void Next_OneEpoch_DistinctIndicesAndDropsTheTail()
    {
        var batches = new ShuffledBatches(exampleCount: 10, batchSize: 3, seed: 1);
        var epoch0 = Enumerable.Range(0, 3).SelectMany(_ => batches.Next()).ToArray();

        Assert.Equal(9, epoch0.Distinct().Count());
        Assert.All(epoch0, i => Assert.InRange(i, 0, 9));
        Assert.Equal((0L, 9), (batches.Epoch, batches.Index));

        batches.Next(); // the 10th example is dropped; a new epoch starts
        Assert.Equal((1L, 3), (batches.Epoch, batches.Index));
        Assert.Equal(3, batches.BatchesPerEpoch);
    }

    [Fact]
    public void Next_TwoEpochs_DifferentOrders()
    {
        var batches = new ShuffledBatches(100, 100, seed: 2);
        Assert.NotEqual(batches.Next(), batches.Next());
    }

    [Fact]
    public void Next_SameSeed_SameSequence()
    {
        var a = new ShuffledBatches(50, 7, seed: 3);
        var b = new ShuffledBatches(50, 7, seed: 3);
        Assert.Equal(Enumerable.Range(0, 20).SelectMany(_ => a.Next()), Enumerable.Range(0, 20).SelectMany(_ => b.Next()));
    }

    [Theory]
    [InlineData(2)] // mid-epoch
    [InlineData(7)] // the epoch's last batch was just handed out
    [InlineData(0)] // nothing drawn yet
    public void Restore_SavedPosition_ContinuesIdenticallyInAFreshIterator(int drawnBeforeSave)
    {
        var original = new ShuffledBatches(50, 7, seed: 4);
        for (var i = 0; i < drawnBeforeSave; i++)
        {
            original.Next();
        }

        var position = original.Position;
        var expected = Enumerable.Range(0, 15).Select(_ => original.Next()).ToArray();

        var resumed = new ShuffledBatches(50, 7, seed: 999); // the seed is irrelevant once a position is restored
        resumed.Restore(position);
        Assert.Equal(expected, Enumerable.Range(0, 15).Select(_ => resumed.Next()));
    }

    [Fact]
    public void Restore_IndexBeyondSplit_Throws()
    {
        var batches = new ShuffledBatches(10, 2, seed: 5);
        var bad = batches.Position with { Index = 11 };
        Assert.Throws<ArgumentException>(() => batches.Restore(bad));
    }

    [Fact]
    public void Constructor_BatchLargerThanSplit_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShuffledBatches(5, 6, seed: 1));
    }
}
