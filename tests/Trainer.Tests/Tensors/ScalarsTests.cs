using AlgoPerf.Trainer.Tensors;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Tests.Tensors;

public sealed class ScalarsTests
{
    [Fact]
    public void Of_SameValueAfterAFullCollection_SameLiveScalarUsableByAnOp()
    {
        var first = Scalars.Of(0.25);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var t = ones(3);

        var second = Scalars.Of(0.25);
        using var scaled = t.mul(second);

        Assert.Same(first, second);
        Assert.Equal([0.25f, 0.25f, 0.25f], scaled.ToArray<float>());
    }

    [Fact]
    public void Of_Integer_IsAnIntegerScalarForIntegerTensors()
    {
        using var counter = zeros([], ScalarType.Int64);

        counter.add_(Scalars.Of(1L)).add_(Scalars.Of(1L));

        Assert.Equal(ScalarType.Int64, counter.dtype);
        Assert.Equal(2L, counter.item<long>());
    }
}
