namespace AlgoPerf.Torch.Tests.Tensor;

using Tensor = AlgoPerf.Torch.Tensor;

[Collection("Sequential")]
public sealed class TensorMathTests
{
    private static Tensor V(params double[] values) => Tensor.FromArray(values, values.Length);

    [Fact]
    public void BinaryOps_TensorAndScalar_ComputeElementwise()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var a = V(1, 4, 9);
        var b = V(2, 2, 3);

        Assert.Equal([-1.0, 2.0, 6.0], (a - b).ToArray<double>());
        Assert.Equal([2.0, 8.0, 27.0], (a * b).ToArray<double>());
        Assert.Equal([0.5, 2.0, 3.0], (a / b).ToArray<double>());
        Assert.Equal([1.0, 16.0, 729.0], a.Pow(b).ToArray<double>());
        Assert.Equal([5.0, 8.0, 15.0], a.Add(b, alpha: 2).ToArray<double>());
        Assert.Equal([2.0, 4.0, 9.0], a.Maximum(b).ToArray<double>());
        Assert.Equal([1.0, 2.0, 3.0], a.Minimum(b).ToArray<double>());
        Assert.Equal([3.0, 6.0, 11.0], (a + 2.0).ToArray<double>());
        Assert.Equal([1.0, -2.0, -7.0], (2.0 - a).ToArray<double>());
        Assert.Equal([3.0, 12.0, 27.0], (3.0 * a).ToArray<double>());
        Assert.Equal([2.0, 0.5, 2.0 / 9], (2.0 / a).ToArray<double>());
        Assert.Equal([-1.0, -4.0, -9.0], (-a).ToArray<double>());
        Assert.Equal([1.0, 2.0, 3.0], a.Pow(0.5).ToArray<double>());
        Assert.Equal([2.0, 16.0, 512.0], Tensor.Pow(2, a).ToArray<double>());
        Assert.Equal([1.0, 1.0, 0.0], a.Remainder(3).ToArray<double>());
    }

    [Fact]
    public void IntegralScalar_OnIntegerTensor_StaysIntegral()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var i = Tensor.FromArray([1L, 2L], 2);

        Assert.Equal(ScalarType.Int64, (i + 1).Dtype);
        Assert.Equal([2L, 3L], (i + 1).ToArray<long>());
        Assert.Equal(ScalarType.Float32, (i + 0.5).Dtype);
        Assert.Equal([4L, 8L], (i * 4).ToArray<long>());
    }

    [Fact]
    public void UnaryOps_MatchMathLibrary()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = V(0.25, 4);

        Assert.Equal([0.5, 2.0], x.Sqrt().ToArray<double>());
        Assert.Equal([2.0, 0.5], x.Rsqrt().ToArray<double>());
        Assert.Equal([Math.Exp(0.25), Math.Exp(4)], x.Exp().ToArray<double>());
        Assert.Equal([Math.Log(0.25), Math.Log(4)], x.Log().ToArray<double>());
        Assert.Equal([4.0, 0.25], x.Reciprocal().ToArray<double>());
        Assert.Equal([3.0, 0.0, 3.0], V(-3, 0, 3).Abs().ToArray<double>());
        Assert.Equal([-1.0, 0.0, 1.0], V(-3, 0, 3).Sign().ToArray<double>());
        Assert.Equal([0.0, 0.0, 3.0], V(-3, 0, 3).Relu().ToArray<double>());
        Assert.Equal([0.5, 1 / (1 + Math.Exp(-2))], V(0, 2).Sigmoid().ToArray<double>());
        Assert.Equal([Math.Tanh(0.5)], V(0.5).Tanh().ToArray<double>());
        Assert.Equal([2 / (1 + Math.Exp(-2))], V(2).Silu().ToArray<double>());
        Assert.Equal(0.8413447460685429, V(1).Gelu().ToDouble(), 12);
        Assert.Equal(0.8411919906082768, V(1).Gelu(tanhApproximation: true).ToDouble(), 12);
        Assert.Equal([true, false], V(double.NaN, 1).IsNan().ToArray<bool>());
    }

    [Fact]
    public void InPlaceOps_ModifyTheTensorAndReturnIt()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = V(1, 2);

        Assert.Same(x, x.Add_(V(1, 1)).Mul_(3.0).Sub_(1.0).Div_(V(5, 4)));
        Assert.Equal([1.0, 2.0], x.ToArray<double>());
        x.Sqrt_().Pow_(2.0).Neg_().Abs_().Exp_().Log_();
        Assert.Equal(1.0, x.ToArray<double>()[0], 12);
        x.Copy_(V(7, 8));
        Assert.Equal([7.0, 8.0], x.ToArray<double>());
        x.Fill_(3);
        Assert.Equal([3.0, 3.0], x.ToArray<double>());
        x.Zero_();
        Assert.Equal([0.0, 0.0], x.ToArray<double>());
        x.Copy_(V(-5, 5)).Clamp_(-1, 2);
        Assert.Equal([-1.0, 2.0], x.ToArray<double>());
        x.Maximum_(V(0, 0)).Minimum_(V(1, 1));
        Assert.Equal([0.0, 1.0], x.ToArray<double>());
    }

    [Fact]
    public void PointwiseOptimizerOps_MatchTheirFormulas()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var p = V(1, 2);
        var a = V(3, 4);
        var b = V(2, 8);

        Assert.Equal([1.5, 2.5], p.Lerp(V(2, 3), 0.5).ToArray<double>());
        Assert.Equal([1.0 + (0.25 * 1), 2.0 + (1.0 * 1)], p.Lerp(V(2, 3), V(0.25, 1)).ToArray<double>());
        Assert.Equal([1 + (0.1 * 6), 2 + (0.1 * 32)], p.Addcmul(a, b, 0.1).ToArray<double>(), new ToleranceComparer(1e-12));
        Assert.Equal([1 + (2 * 1.5), 2 + (2 * 0.5)], p.Addcdiv(a, b, 2).ToArray<double>());
        Assert.Equal([-1.0, 0.5, 1.0], V(-3, 0.5, 3).Clamp(-1, 1).ToArray<double>());
        Assert.Equal([0.0, 3.0], V(-1, 3).ClampMin(0).ToArray<double>());
        Assert.Equal([-1.0, 1.0], V(-1, 3).Clamp(max: 1).ToArray<double>());

        var m = V(0, 0);
        m.Lerp_(V(10, 20), 0.1).Addcmul_(a, b, 1).Addcdiv_(b, V(2, 2), -1);
        Assert.Equal([1 + 6 - 1.0, 2 + 32 - 4.0], m.ToArray<double>());
    }

    [Fact]
    public void ReducedPrecision_Arithmetic_KeepsDtypeAndExactSmallValues()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var a = V(1.5, -2, 0.25);

        foreach (var dtype in new[] { ScalarType.BFloat16, ScalarType.Float16 })
        {
            var low = a.To(dtype);
            var sum = low.Add(low).Mul(2.0);
            Assert.Equal(dtype, sum.Dtype);
            Assert.Equal([6.0, -8, 1], sum.To(ScalarType.Float64).ToArray<double>());
        }
    }

    [Fact]
    public void Comparisons_ReturnBoolTensors()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var a = V(1, 2, 3);
        var b = V(3, 2, 1);

        Assert.Equal([false, true, false], a.Eq(b).ToArray<bool>());
        Assert.Equal([true, false, true], a.Ne(b).ToArray<bool>());
        Assert.Equal([true, false, false], a.Lt(b).ToArray<bool>());
        Assert.Equal([true, true, false], a.Le(b).ToArray<bool>());
        Assert.Equal([false, false, true], a.Gt(b).ToArray<bool>());
        Assert.Equal([false, true, true], a.Ge(2).ToArray<bool>());
        Assert.Equal(ScalarType.Bool, a.Gt(b).LogicalAnd(a.Ge(3)).Dtype);
    }

    [Fact]
    public void MatrixProducts_MatchHandComputedValues()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var a = Tensor.FromArray([1.0, 2, 3, 4], 2, 2);
        var b = Tensor.FromArray([5.0, 6, 7, 8], 2, 2);

        Assert.Equal([19.0, 22, 43, 50], a.MatMul(b).ToArray<double>());
        Assert.Equal([19.0, 22, 43, 50], a.Mm(b).ToArray<double>());
        Assert.Equal([19.0, 22, 43, 50, 19, 22, 43, 50], Tensor.Stack([a, a]).Bmm(Tensor.Stack([b, b])).ToArray<double>());
        Assert.Equal([3.0, 4, 6, 8], V(1, 2).Outer(V(3, 4)).ToArray<double>());
        Assert.Equal(11.0, V(1, 2).Dot(V(3, 4)).ToDouble());
        Assert.Equal([5.0, 11], a.Mv(V(1, 2)).ToArray<double>());
    }

    [Fact]
    public void Mul_BroadcastMismatch_ThrowsAndProcessSurvives()
    {
        using var scope = TorchRuntime.NewDisposeScope();

        var e = Assert.Throws<TorchException>(() => Tensor.Zeros([3]).Mul(Tensor.Zeros([4])));

        Assert.Equal("ats_tensor_binary(Mul)", e.Export);
        Assert.Contains("must match the size of tensor b", e.NativeMessage, StringComparison.Ordinal);
        Assert.Equal([6.0], V(2).Mul(V(3)).ToArray<double>());
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
