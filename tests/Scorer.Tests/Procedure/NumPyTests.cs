using AlgoPerf.Scorer.Procedure;

namespace AlgoPerf.Scorer.Tests.Procedure;

public sealed class NumPyTests
{
    [Fact]
    public void Median_OddCount_MiddleValue()
    {
        Assert.Equal(2.0, NumPy.Median([3.0, 1.0, 2.0]));
    }

    [Fact]
    public void Median_EvenCount_AveragesMiddleTwo()
    {
        Assert.Equal(2.5, NumPy.Median([4.0, 1.0, 3.0, 2.0]));
    }

    [Fact]
    public void Median_InfinityIncluded_TwoOfThreeFailuresIsInfinite()
    {
        Assert.Equal(double.PositiveInfinity, NumPy.Median([10.0, double.PositiveInfinity, double.PositiveInfinity]));
        Assert.Equal(20.0, NumPy.Median([10.0, 20.0, double.PositiveInfinity]));
    }

    [Fact]
    public void Median_EvenCountWithInfinity_InfPlusFiniteIsInf()
    {
        Assert.Equal(double.PositiveInfinity, NumPy.Median([1.0, 2.0, double.PositiveInfinity, double.PositiveInfinity]));
        Assert.Equal(double.PositiveInfinity, NumPy.Median([1.0, double.PositiveInfinity]));
        Assert.Equal(double.PositiveInfinity, NumPy.Median([double.PositiveInfinity, double.PositiveInfinity]));
    }

    [Fact]
    public void Median_NaNOrEmpty_IsNaN()
    {
        Assert.True(double.IsNaN(NumPy.Median([1.0, double.NaN, 2.0])));
        Assert.True(double.IsNaN(NumPy.Median([])));
    }

    [Fact]
    public void Median_SingleStudy_ThatValue()
    {
        Assert.Equal(7.5, NumPy.Median([7.5]));
    }

    [Fact]
    public void PairwiseSum_NineValues_UsesEightPartialSumsThenTail()
    {
        // Lanes: ((1e16 + 1) + (1 + 1)) + ((1 + 1) + (1 + 1)) = 1e16 + 6, then -1e16 -> 6. Left to right every +1 is
        // lost against 1e16 (its ulp is 2), giving 0.
        double[] a = [1e16, 1, 1, 1, 1, 1, 1, 1, -1e16];

        Assert.Equal(6.0, NumPy.PairwiseSum(a));
        Assert.Equal(0.0, NumPy.SequentialSum(a));
        Assert.NotEqual(NumPy.PairwiseSum(a), NumPy.SequentialSum(a));
    }

    [Fact]
    public void PairwiseSum_AboveBlockSize_SplitsAtMultipleOfEight()
    {
        var a = Enumerable.Range(0, 300).Select(i => 0.1 * i).ToArray();
        var expected = NumPy.PairwiseSum(a.AsSpan(0, 144)) + NumPy.PairwiseSum(a.AsSpan(144));

        Assert.Equal(expected, NumPy.PairwiseSum(a));
    }

    [Fact]
    public void Trapezoid_ConstantOne_IsRangeLength()
    {
        double[] x = [1.0, 2.0, 4.0];
        double[] y = [1.0, 1.0, 1.0];

        Assert.Equal(3.0, NumPy.Trapezoid(y, x, pairwise: true));
        Assert.Equal(3.0, NumPy.Trapezoid(y, x, pairwise: false));
    }

    [Fact]
    public void Trapezoid_Step_BlursOverOneCell()
    {
        double[] x = [0.0, 1.0, 2.0];
        double[] y = [0.0, 1.0, 1.0];

        Assert.Equal(1.5, NumPy.Trapezoid(y, x, pairwise: false));
    }

    [Fact]
    public void GeometricMean_TwoValues_SquareRootOfProduct()
    {
        Assert.Equal(Math.Exp((Math.Log(2.0) + Math.Log(8.0)) / 2), NumPy.GeometricMean([2.0, 8.0]));
        Assert.Equal(4.0, NumPy.GeometricMean([2.0, 8.0]), 12);
    }
}
