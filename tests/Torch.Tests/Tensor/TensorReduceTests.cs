namespace AlgoPerf.Torch.Tests.Tensor;

using Tensor = AlgoPerf.Torch.Tensor;

[Collection("Sequential")]
public sealed class TensorReduceTests
{
    private static Tensor M() => Tensor.FromArray([1.0, 2, 3, 4, 5, 6], 2, 3);

    [Fact]
    public void SumAndMean_OverDims_WithKeepDim()
    {
        using var scope = TorchRuntime.NewDisposeScope();

        Assert.Equal(21.0, M().Sum().ToDouble());
        Assert.Equal([5.0, 7, 9], M().Sum(0).ToArray<double>());
        Assert.Equal([2L, 1L], M().Sum(1, keepDim: true).Shape);
        Assert.Equal([6.0, 15], M().Sum(1, keepDim: true).ToArray<double>());
        Assert.Equal(3.5, M().Mean().ToDouble());
        Assert.Equal([2.0, 5], M().Mean(1).ToArray<double>());
        Assert.Equal(21.0, M().Sum([0L, 1L]).ToDouble());
        Assert.Equal(ScalarType.Float64, Tensor.Ones([3]).SumAs(ScalarType.Float64).Dtype);
        Assert.Equal(720.0, M().Prod().ToDouble());
    }

    [Fact]
    public void MaxMinArgMax_ReturnValuesAndIndices()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = Tensor.FromArray([3.0, 9, 1, 7, 2, 8], 2, 3);

        Assert.Equal(9.0, x.Max().ToDouble());
        Assert.Equal(1.0, x.Min().ToDouble());
        var (values, indices) = x.Max(1);
        Assert.Equal([9.0, 8], values.ToArray<double>());
        Assert.Equal([1L, 2L], indices.ToArray<long>());
        var (minValues, minIndices) = x.Min(0, keepDim: true);
        Assert.Equal([3.0, 2, 1], minValues.ToArray<double>());
        Assert.Equal([0L, 1L, 0L], minIndices.ToArray<long>());
        Assert.Equal(1L, x.ArgMax().ToInt64());
        Assert.Equal([1L, 2L], x.ArgMax(1).ToArray<long>());
        Assert.Equal([0L, 1L, 0L], x.ArgMin(0).ToArray<long>());
        Assert.Equal([9.0, 8], x.Amax([1L]).ToArray<double>());
        var (sorted, order) = Tensor.FromArray([3.0, 1, 2], 3).Sort(descending: true);
        Assert.Equal([3.0, 2, 1], sorted.ToArray<double>());
        Assert.Equal([0L, 2L, 1L], order.ToArray<long>());
        Assert.Equal([3.0, 2], Tensor.FromArray([3.0, 1, 2], 3).TopK(2).Values.ToArray<double>());
    }

    [Fact]
    public void NormVarStd_UseTheRequestedCorrection()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = Tensor.FromArray([2.0, 4, 4, 4, 5, 5, 7, 9], 8);

        Assert.Equal(Math.Sqrt(4 + 16 + 16 + 16 + 25 + 25 + 49 + 81), x.Norm().ToDouble(), 12);
        Assert.Equal(40.0, x.Norm(1).ToDouble());
        Assert.Equal(9.0, x.Norm(double.PositiveInfinity).ToDouble());
        Assert.Equal(4.0, x.Var(correction: 0).ToDouble(), 12);
        Assert.Equal(32.0 / 7, x.Var().ToDouble(), 12);
        Assert.Equal(2.0, x.Std(correction: 0).ToDouble(), 12);
        var rowNorms = M().Norm([1L]).ToArray<double>();
        Assert.Equal(Math.Sqrt(14), rowNorms[0], 12);
        Assert.Equal(Math.Sqrt(77), rowNorms[1], 12);
        Assert.Equal([1.0, 1.0], M().Var([1L]).ToArray<double>());
    }

    [Fact]
    public void LogSumExpAllAny_ReduceCorrectly()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = Tensor.FromArray([1000.0, 1000], 2);

        Assert.Equal(1000 + Math.Log(2), x.LogSumExp().ToDouble(), 9);
        var rows = M().LogSumExp([1L]).ToArray<double>();
        Assert.Equal(Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3)), rows[0], 12);
        Assert.Equal(Math.Log(Math.Exp(4) + Math.Exp(5) + Math.Exp(6)), rows[1], 12);
        var b = Tensor.FromArray([true, false, true, true], 2, 2);
        Assert.False(b.All().ToBoolean());
        Assert.True(b.Any().ToBoolean());
        Assert.Equal([true, false], b.All([0L]).ToArray<bool>());
        Assert.Equal([false], b.All([0L, 1L]).ToArray<bool>());
        Assert.Equal([true, true], b.Any([1L]).ToArray<bool>());
        Assert.Equal([1L, 3L, 6L], Tensor.FromArray([1L, 2L, 3L], 3).CumSum(0).ToArray<long>());
    }
}
