namespace AlgoPerf.Torch.Tests.NN;

using AlgoPerf.Torch.NN;
using Tensor = AlgoPerf.Torch.Tensor;

[Collection("Sequential")]
public sealed class InitTests
{
    [Fact]
    public void Fans_ConvWeight_CountTheReceptiveField()
    {
        using var scope = TorchRuntime.NewDisposeScope();

        Assert.Equal((27L, 72L), Init.Fans(Tensor.Empty([8, 3, 3, 3])));
        Assert.Equal((5L, 4L), Init.Fans(Tensor.Empty([4, 5])));
        Assert.Throws<ArgumentException>(() => Init.Fans(Tensor.Empty([4])));
    }

    [Fact]
    public void KaimingAndXavier_DrawWithTheirVariances()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var g = new Generator(8);
        var w = Tensor.Empty([500, 400], ScalarType.Float64);

        // kaiming_normal_(a=0): std = sqrt(2 / fan_in)
        Assert.Equal(Math.Sqrt(2.0 / 400), Init.KaimingNormal_(w, generator: g).Std().ToDouble(), 3);
        // kaiming_uniform_(a=0): bound = sqrt(6 / fan_in), variance bound^2 / 3 = 2 / fan_in
        Assert.Equal(Math.Sqrt(2.0 / 400), Init.KaimingUniform_(w, generator: g).Std().ToDouble(), 3);
        Assert.True(w.Abs().Max().ToDouble() <= Math.Sqrt(6.0 / 400));
        // xavier_uniform_: bound = sqrt(6 / (fan_in + fan_out))
        Init.XavierUniform_(w, generator: g);
        Assert.True(w.Abs().Max().ToDouble() <= Math.Sqrt(6.0 / 900));
        Assert.Equal(Math.Sqrt(2.0 / 900), w.Std().ToDouble(), 3);
    }

    [Fact]
    public void Init_OnParameterRequiringGrad_RecordsNoHistory()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var w = Tensor.Empty([3, 3]).RequiresGrad_();

        Init.Normal_(w);

        Assert.True(w.IsLeaf);
        Assert.True(w.RequiresGrad);
    }
}
