namespace AlgoPerf.Torch.Tests.Tensor;

using AlgoPerf.Torch.LinearAlgebra;
using Tensor = AlgoPerf.Torch.Tensor;

[Collection("Sequential")]
public sealed class TensorAutogradTests
{
    [Fact]
    public void Backward_Polynomial_AccumulatesExactGradient()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = Tensor.FromArray([1.0, 2, 3], 3).RequiresGrad_();

        // d/dx sum(x^2 + 3x) = 2x + 3
        x.Pow(2).Add(x.Mul(3.0)).Sum().Backward();

        Assert.True(x.IsLeaf);
        Assert.Equal([5.0, 7, 9], x.Grad!.ToArray<double>());
        // A second backward accumulates into .grad, as PyTorch.
        x.Mul(x).Sum().Backward();
        Assert.Equal([7.0, 11, 15], x.Grad!.ToArray<double>());
    }

    [Fact]
    public void Grad_SetToNoneAndToATensor_RoundTrips()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = Tensor.FromArray([1.0, 2], 2).RequiresGrad_();
        Assert.Null(x.Grad);

        x.Grad = Tensor.FromArray([4.0, 5], 2);
        Assert.Equal([4.0, 5], x.Grad!.ToArray<double>());
        x.Grad!.Zero_();
        Assert.Equal([0.0, 0], x.Grad!.ToArray<double>());
        x.Grad = null;
        Assert.Null(x.Grad);
    }

    [Fact]
    public void Backward_Twice_NeedsRetainGraph()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = Tensor.FromArray([2.0], 1).RequiresGrad_();
        var y = x.Exp().Sum();

        y.Backward(retainGraph: true);
        y.Backward();
        var e = Assert.Throws<TorchException>(() => y.Backward());

        Assert.Equal(2 * Math.Exp(2), x.Grad!.ToDouble(), 12);
        Assert.Equal("ats_tensor_backward", e.Export);
        Assert.Contains("second time", e.NativeMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Backward_NonScalarWithGradient_UsesIt()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = Tensor.FromArray([1.0, 2], 2).RequiresGrad_();

        x.Mul(3.0).Backward(Tensor.FromArray([1.0, 10], 2));

        Assert.Equal([3.0, 30], x.Grad!.ToArray<double>());
    }

    [Fact]
    public void NoGradAndDetach_RecordNothing()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = Tensor.FromArray([1.0], 1).RequiresGrad_();

        using (TorchRuntime.NoGrad())
        {
            Assert.False(TorchRuntime.IsGradEnabled);
            Assert.False(x.Mul(2.0).RequiresGrad);
            using (TorchRuntime.EnableGrad())
            {
                Assert.True(x.Mul(2.0).RequiresGrad);
            }

            Assert.False(TorchRuntime.IsGradEnabled);
        }

        Assert.True(TorchRuntime.IsGradEnabled);
        var y = x.Mul(2.0);
        Assert.True(y.RequiresGrad);
        Assert.False(y.IsLeaf);
        Assert.False(y.Detach().RequiresGrad);
        y.Detach_();
        Assert.True(y.IsLeaf);
    }

    [Fact]
    public void NoGradScope_DisposedOnAnotherThread_Throws()
    {
        var scope = TorchRuntime.NoGrad();
        Exception? caught = null;
        var other = new Thread(() => caught = Record.Exception(scope.Dispose));
        other.Start();
        other.Join();

        Assert.IsType<InvalidOperationException>(caught);
        Assert.Contains("thread that opened it", caught.Message, StringComparison.Ordinal);
        Assert.False(TorchRuntime.IsGradEnabled);
        scope.Dispose();
        Assert.True(TorchRuntime.IsGradEnabled);
    }

    [Fact]
    public void DisposedTensor_Used_ThrowsObjectDisposedException()
    {
        var x = Tensor.Zeros([2]);
        x.Dispose();

        Assert.True(x.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => x.Add(1.0));
    }

    [Fact]
    public void Gradients_ElementwiseFamily_MatchFiniteDifferences()
    {
        var x = GradCheck.Inputs(6);
        long[] shape = [2, 3];
        GradCheck.Assert(t => t.Mul(t).Add(t.Sin()), x, shape);
        GradCheck.Assert(t => t.Div(t.Square().Add(1.0)), x, shape);
        GradCheck.Assert(t => t.Abs().Sqrt().Add(t.Abs().Rsqrt()), x, shape);
        GradCheck.Assert(t => t.Exp().Add(t.Abs().Log()), x, shape);
        GradCheck.Assert(t => t.Tanh().Add(t.Sigmoid()).Add(t.Silu()), x, shape);
        GradCheck.Assert(t => t.Gelu().Add(t.Gelu(true)).Add(t.Relu()), x, shape);
        GradCheck.Assert(t => t.Abs().Pow(1.5).Add(t.Clamp(-0.5, 0.5)), x, shape);
        GradCheck.Assert(t => t.Maximum(t.Neg().Mul(0.5)).Add(t.Minimum(t.Mul(0.3))), x, shape);
        GradCheck.Assert(t => t.Lerp(t.Exp(), 0.3).Addcmul(t, t.Cos(), 0.5).Addcdiv(t, t.Square().Add(2.0), 0.7), x, shape);
        GradCheck.Assert(t => Tensor.Where(t.Gt(0), t.Square(), t.Mul(3.0)), x, shape);
    }

    [Fact]
    public void Gradients_ShapeFamily_MatchFiniteDifferences()
    {
        var x = GradCheck.Inputs(12);
        long[] shape = [3, 4];
        using var scope = TorchRuntime.NewDisposeScope();
        var index = Tensor.FromArray([2L, 0L, 0L], 3).DetachFromScope();
        var gatherIndex = Tensor.FromArray([0L, 3L, 1L, 1L, 2L, 0L], 3, 2).DetachFromScope();
        GradCheck.Assert(t => t.Permute(1, 0).Reshape(2, 6).Mul(t.View(2, 6)), x, shape);
        GradCheck.Assert(t => Tensor.Cat([t, t.Square()], 1).Slice(1, 1, 7, 2), x, shape);
        GradCheck.Assert(t => Tensor.Stack([t.Narrow(0, 0, 2), t.Narrow(0, 1, 2)]).Triu(), x, shape);
        GradCheck.Assert(t => t.IndexSelect(0, index).Mul(t.Gather(1, gatherIndex).Sum()), x, shape);
        GradCheck.Assert(t => t.Unsqueeze(0).Expand(2, 3, 4).Mul(t.Repeat(2, 1, 1)).Flatten(), x, shape);
        GradCheck.Assert(t => t.Chunk(2, 1)[1].Mul(t.Split(2, 1)[0]), x, shape);
        GradCheck.Assert(t => t.Index(null, index.Slice(0, 0, 2, 1)).MaskedFill(t.Index(null, index.Slice(0, 0, 2, 1)).Gt(1), 0), x, shape);
        index.Dispose();
        gatherIndex.Dispose();
    }

    [Fact]
    public void Gradients_ReductionAndProductFamily_MatchFiniteDifferences()
    {
        var x = GradCheck.Inputs(12, seed: 3);
        long[] shape = [3, 4];
        GradCheck.Assert(t => t.Sum(1).Add(t.Mean([0L, 1L])), x, shape);
        GradCheck.Assert(t => t.Norm([1L]).Add(t.Var([1L])).Add(t.Std([1L], correction: 0)), x, shape);
        GradCheck.Assert(t => t.LogSumExp([0L]).Add(t.Amax([0L])).Add(t.Softmax(0).Mul(t.LogSoftmax(1)).Sum(0)), x, shape);
        GradCheck.Assert(t => t.MatMul(t.T()), x, shape);
        GradCheck.Assert(t => Tensor.Stack([t, t.Mul(2.0)]).Bmm(Tensor.Stack([t.T(), t.T()])), x, shape);
        GradCheck.Assert(t => Linalg.Inv(t.MatMul(t.T()).Add(Tensor.Eye(3, dtype: ScalarType.Float64))), x, shape);
    }
}
