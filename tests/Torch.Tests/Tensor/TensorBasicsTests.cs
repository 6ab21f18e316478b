namespace AlgoPerf.Torch.Tests.Tensor;

using Tensor = AlgoPerf.Torch.Tensor;

[Collection("Sequential")]
public sealed class TensorBasicsTests
{
    [Fact]
    public void Add_TwoFloatTensors_ReturnsElementwiseSum()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var a = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2);
        var b = Tensor.FromArray([10f, 20f, 30f, 40f], 2, 2);

        var c = a + b;

        Assert.Equal([2L, 2L], c.Shape);
        Assert.Equal([11f, 22f, 33f, 44f], c.ToArray<float>());
    }

    [Fact]
    public void MatMul_ShapeMismatch_ThrowsTorchExceptionWithLibtorchMessage()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var a = Tensor.Zeros([2, 3]);
        var b = Tensor.Zeros([4, 5]);

        var e = Assert.Throws<TorchException>(() => a.MatMul(b));

        Assert.Equal("ats_tensor_matmul", e.Export);
        Assert.Contains("cannot be multiplied", e.NativeMessage, StringComparison.Ordinal);
        // The process survives and the binding keeps working on the same thread.
        Assert.Equal([3f], Tensor.FromArray([1f], 1).Add(Tensor.FromArray([2f], 1)).ToArray<float>());
    }

    [Fact]
    public void DisposeScope_ClosedAfterManyOps_ReturnsLiveHandlesToStart()
    {
        var before = HandleStatistics.Live;
        using (TorchRuntime.NewDisposeScope())
        {
            var x = Tensor.Zeros([8]);
            for (var i = 0; i < 100; i++)
            {
                x = x.Add(Tensor.FromArray([1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f], 8));
            }

            Assert.Equal(100f, x.ToArray<float>()[0]);
            Assert.Equal(before + 201, HandleStatistics.Live);
        }

        Assert.Equal(before, HandleStatistics.Live);
    }
}
