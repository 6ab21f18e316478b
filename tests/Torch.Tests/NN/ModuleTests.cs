namespace AlgoPerf.Torch.Tests.NN;

using AlgoPerf.Torch.NN;
using Tensor = AlgoPerf.Torch.Tensor;

[Collection("Sequential")]
public sealed class ModuleTests
{
    // The fmnist_mlp reference model of /work/shared/peers/torch_step_bench.py.
    private static Sequential Mlp(Generator g) =>
        new(new Flatten(), new Linear(784, 256, generator: g), new ReLU(), new Linear(256, 256, generator: g), new ReLU(), new Linear(256, 10, generator: g));

    [Fact]
    public void Sequential_ReferenceMlp_HasPyTorchNamesCountsAndTypes()
    {
        using var g = new Generator(0);
        using var model = Mlp(g);

        var names = model.NamedParameters().Select(p => p.Name).ToArray();

        Assert.Equal(["1.weight", "1.bias", "3.weight", "3.bias", "5.weight", "5.bias"], names);
        Assert.Equal(269_322, model.ParameterCount());
        Assert.Equal([ParameterType.Weight, ParameterType.Bias], model.Parameters().Take(2).Select(p => p.Type));
        Assert.All(model.Parameters(), p => Assert.True(p.Tensor.RequiresGrad && p.Tensor.IsLeaf));
    }

    [Fact]
    public void Linear_DefaultInit_IsUniformWithinOneOverSqrtFanIn()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var g = new Generator(1);
        using var layer = new Linear(400, 300, generator: g);
        var bound = 1 / Math.Sqrt(400);

        var w = layer.Weight.Tensor.ToArray<float>();

        Assert.All(w, v => Assert.InRange(v, -bound, bound));
        // uniform(-b, b) has variance b^2 / 3.
        Assert.Equal(bound * bound / 3, layer.Weight.Tensor.Var().ToDouble(), 5);
        Assert.All(layer.Bias!.Tensor.ToArray<float>(), v => Assert.InRange(v, -bound, bound));
    }

    [Fact]
    public void Linear_SameGeneratorSeed_SameParameters()
    {
        using var g1 = new Generator(3);
        using var g2 = new Generator(3);
        using var a = new Linear(5, 4, generator: g1);
        using var b = new Linear(5, 4, generator: g2);

        Assert.Equal(a.Weight.Tensor.ToArray<float>(), b.Weight.Tensor.ToArray<float>());
        Assert.Equal(a.Bias!.Tensor.ToArray<float>(), b.Bias!.Tensor.ToArray<float>());
    }

    [Fact]
    public void ConvAndNormLayers_HavePyTorchParametersAndBuffers()
    {
        using var g = new Generator(2);
        using var conv = new Conv2d(3, 8, 3, padding: 1, bias: false, generator: g);
        using var bn = new BatchNorm2d(8);
        using var ln = new LayerNorm(16);
        using var emb = new Embedding(10, 4, g);
        using var convT = new ConvTranspose2d(8, 4, 2, stride: 2, generator: g);

        Assert.Equal([8L, 3L, 3L, 3L], conv.Weight.Shape);
        Assert.Null(conv.Bias);
        Assert.Equal(ParameterType.ConvWeight, conv.Weight.Type);
        Assert.All(conv.Weight.Tensor.ToArray<float>(), v => Assert.InRange(v, -1 / Math.Sqrt(27), 1 / Math.Sqrt(27)));
        Assert.Equal(["weight", "bias"], bn.NamedParameters().Select(p => p.Name));
        Assert.Equal([ParameterType.BatchNormScale, ParameterType.BatchNormBias], bn.Parameters().Select(p => p.Type));
        Assert.Equal(["running_mean", "running_var", "num_batches_tracked"], bn.NamedBuffers().Select(b => b.Name));
        Assert.Equal([ParameterType.LayerNormScale, ParameterType.LayerNormBias], ln.Parameters().Select(p => p.Type));
        Assert.Equal(ParameterType.Embedding, emb.Weight.Type);
        Assert.Equal([8L, 4L, 2L, 2L], convT.Weight.Shape);
        Assert.All(convT.Weight.Tensor.ToArray<float>(), v => Assert.InRange(v, -1 / Math.Sqrt(16), 1 / Math.Sqrt(16)));
    }

    [Fact]
    public void BatchNorm2d_TrainThenEval_TracksAndUsesRunningStats()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var bn = new BatchNorm2d(1, momentum: 0.5);
        var x = Tensor.FromArray([1f, 3f], 2, 1, 1, 1);

        _ = bn.Forward(x);
        Assert.Equal([1f], bn.RunningMean.ToArray<float>());
        Assert.Equal(1L, bn.NumBatchesTracked.ToInt64());

        bn.UpdateRunningStats = false;
        _ = bn.Forward(x.Mul(10.0));
        Assert.Equal([1f], bn.RunningMean.ToArray<float>());
        Assert.Equal(1L, bn.NumBatchesTracked.ToInt64());

        bn.Eval();
        Assert.False(bn.IsTraining);
        // eval: (x - 1) / sqrt(running_var + eps), running_var = 0.5 * 1 + 0.5 * 2 = 1.5
        var y = bn.Forward(x).ToArray<float>();
        Assert.Equal(0f, y[0]);
        Assert.Equal(2 / Math.Sqrt(1.5 + 1e-5), y[1], 5);
    }

    [Fact]
    public void To_Float64_ConvertsParametersAndBuffersInPlace()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var g = new Generator(6);
        using var linear = new Linear(3, 2, generator: g);
        using var bn = new BatchNorm2d(2);
        var before = linear.Weight.Tensor.ToArray<float>();
        var weight = linear.Weight.Tensor;

        linear.To(ScalarType.Float64);
        bn.To(ScalarType.Float64).To(Device.Cpu);

        Assert.Same(weight, linear.Weight.Tensor);
        Assert.Equal(ScalarType.Float64, weight.Dtype);
        Assert.True(weight.IsLeaf && weight.RequiresGrad);
        Assert.Equal(before.Select(v => (double)v), weight.ToArray<double>());
        Assert.Equal(ScalarType.Float64, bn.RunningVar.Dtype);
        Assert.Equal(ScalarType.Int64, bn.NumBatchesTracked.Dtype);
        Assert.Equal([2L, 2L], linear.Forward(Tensor.Ones([2, 3], ScalarType.Float64)).Shape);
    }

    [Fact]
    public void TrainEval_PropagatesToChildren()
    {
        using var g = new Generator(4);
        using var model = new Sequential(new Linear(2, 2, generator: g), new Dropout(0.5, g));

        model.Eval();

        Assert.All(model.Layers, l => Assert.False(l.IsTraining));
        model.Train();
        Assert.All(model.Layers, l => Assert.True(l.IsTraining));
    }

    [Fact]
    public void ZeroGrad_AfterBackward_DropsEveryGradient()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var g = new Generator(5);
        using var model = Mlp(g);

        model.Forward(Tensor.Randn([2, 1, 28, 28], g)).Sum().Backward();
        Assert.All(model.Parameters(), p => Assert.NotNull(p.Grad));
        model.ZeroGrad();

        Assert.All(model.Parameters(), p => Assert.Null(p.Grad));
    }
}
