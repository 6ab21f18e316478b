using AlgoPerf.Trainer.Data;

namespace AlgoPerf.Trainer.Tests.Data;

public sealed class DlrmSyntheticTests
{
    [Fact]
    public void Generate_SameSeed_IdenticalData()
    {
        var a = DlrmSynthetic.Generate(500, 100, 100, seed: 11);
        var b = DlrmSynthetic.Generate(500, 100, 100, seed: 11);
        Assert.Equal(a.Train.Dense, b.Train.Dense);
        Assert.Equal(a.Train.Categorical, b.Train.Categorical);
        Assert.Equal(a.Test.Labels, b.Test.Labels);
    }

    [Fact]
    public void Generate_OtherSeed_DifferentData()
    {
        var a = DlrmSynthetic.Generate(200, 0, 0, seed: 11);
        var b = DlrmSynthetic.Generate(200, 0, 0, seed: 12);
        Assert.NotEqual(a.Train.Categorical, b.Train.Categorical);
    }

    [Fact]
    public void Generate_OtherTrainSize_SameValidationAndTest()
    {
        var a = DlrmSynthetic.Generate(300, 50, 60);
        var b = DlrmSynthetic.Generate(1000, 50, 60);
        Assert.Equal(a.Validation.Dense, b.Validation.Dense);
        Assert.Equal(a.Test.Labels, b.Test.Labels);
        Assert.Equal(a.Train.Labels, b.Train.Labels[..300]);
    }

    [Fact]
    public void Generate_Shapes_RangesAndSkewedCategories()
    {
        var data = DlrmSynthetic.Generate(20_000, 10, 10);
        var train = data.Train;

        Assert.Equal(20_000 * 13, train.Dense.Length);
        Assert.Equal(20_000 * 26, train.Categorical.Length);
        Assert.All(train.Categorical, c => Assert.InRange(c, 0, 999));
        Assert.All(train.Labels, l => Assert.True(l is 0f or 1f));
        // ids = floor(1000 r^2): P(id < 250) = P(r < 0.5) = 1/2.
        Assert.InRange(train.Categorical.Count(c => c < 250) / (double)train.Categorical.Length, 0.49, 0.51);
        // The teacher's bias makes clicks a minority, but not rare.
        Assert.InRange(train.Labels.Average(), 0.2, 0.45);
    }

    [Fact]
    public void Generate_LabelsDependOnFeatures_ClickRateVariesWithFirstCategory()
    {
        // A teacher with per-category effects: click rates of frequent categories of feature 0 differ.
        var train = DlrmSynthetic.Generate(50_000, 0, 0).Train;
        var rates = Enumerable.Range(0, 5)
            .Select(v => Enumerable.Range(0, train.Count).Where(n => train.Categorical[n * 26] == v).Average(n => train.Labels[n]))
            .ToArray();
        Assert.True(rates.Max() - rates.Min() > 0.1, $"click rates by category: {string.Join(", ", rates)}");
    }

    [Fact]
    public void CopyBatch_TwoExamples_CopiesRowsInIndexOrder()
    {
        var split = DlrmSynthetic.Generate(5, 0, 0).Train;
        var dense = new float[26];
        var categorical = new long[52];
        var labels = new float[2];
        split.CopyBatch([4, 1], dense, categorical, labels);

        Assert.Equal(split.Dense.AsSpan(4 * 13, 13).ToArray(), dense[..13]);
        Assert.Equal(split.Categorical.AsSpan(26, 26).ToArray().Select(c => (long)c), categorical[26..]);
        Assert.Equal([split.Labels[4], split.Labels[1]], labels);
    }
}
