using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using AlgoPerf.Trainer.Models;
using AlgoPerf.Trainer.Running;
using AlgoPerf.Trainer.Workloads;
using AlgoPerf.Trainer.Workloads.Bench;

namespace AlgoPerf.Trainer.Tests.Models;

/// <summary>
/// The dev-suite models against their PyTorch definitions (<c>PeerModels.cs</c>, written by <c>peer_models.py</c> from
/// <c>benchmarks/peers/torch_step_bench.py</c>): the same parameters in the same order, and the same output and loss
/// for the same parameters and inputs (the formulas of <c>peer_models.py</c>'s <c>fill</c> and <c>inputs</c>).
/// </summary>
[Collection("Torch")]
public sealed class DevSuiteModelsTests
{
    public static TheoryData<string> Names => new(DevSuite.Names);

    [Theory]
    [MemberData(nameof(Names))]
    public void CreateModel_EveryDevWorkload_PeerParameterNamesShapesAndCount(string name)
    {
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(1);
        using var model = DevSuite.CreateModel(name, g);

        var ours = model.named_parameters().Select(p => (p.name, Shape: string.Join("x", p.parameter.shape))).ToArray();
        var peer = PeerModels.Parameters[name].Select(p => (p.Name, Shape: string.Join("x", p.Shape))).ToArray();

        Assert.Equal(peer, ours);
        Assert.Equal(PeerModels.Counts[name], model.ParameterCount());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_PeerParametersAndInputs_MatchesPyTorchOutputAndLoss(string name)
    {
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(1);
        using var model = DevSuite.CreateModel(name, g);
        Fill(model);
        var (inputs, targets) = PeerInputs(name);
        var expected = PeerModels.Outputs[name];

        var output = model.forward(inputs).to(ScalarType.Float64);
        var values = output.flatten().ToArray<double>();
        var loss = Loss(name, output, targets).ToDouble();

        Assert.Equal(expected.AbsSum, values.Sum(Math.Abs), expected.AbsSum * 1e-5);
        Assert.Equal(expected.Sum, values.Sum(), expected.AbsSum * 1e-5);
        for (var i = 0; i < expected.First.Length; i++)
        {
            Assert.Equal(expected.First[i], values[i], 1e-4 * Math.Max(1, Math.Abs(expected.First[i])));
        }

        Assert.Equal(expected.Loss, loss, 1e-5 * expected.Loss);
    }

    [Theory]
    [InlineData("fmnist_mlp", new long[] { 5, 10 })]
    [InlineData("fmnist_resnet", new long[] { 5, 10 })]
    [InlineData("fmnist_vit_post_ln", new long[] { 5, 10 })]
    [InlineData("lm_transformer", new long[] { 5, 128, 256 })]
    [InlineData("dlrm_synth_layernorm", new long[] { 5 })]
    [InlineData("unet_denoise", new long[] { 5, 1, 28, 28 })]
    public void Forward_RandomBatch_OutputShape(string name, long[] shape)
    {
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(2);
        using var model = DevSuite.CreateModel(name, g);
        using var batch = DevSuite.RandomBatch(name, 5, g);

        Assert.Equal(shape, model.forward(batch.Inputs).shape);
    }

    [Theory]
    [InlineData("fmnist_resnet_silu")]
    [InlineData("lm_transformer")]
    [InlineData("dlrm_synth")]
    [InlineData("unet_denoise_tanh")]
    public void CreateModel_SameSeed_BitIdenticalParameters_OtherSeedDiffers(string name)
    {
        using var scope = torch.NewDisposeScope();
        var a = Snapshot(name, 7);
        var b = Snapshot(name, 7);
        var c = Snapshot(name, 8);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Workload_ParamTypes_AttentionAndNormalizationTyped()
    {
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(3);
        using var model = DevSuite.CreateModel("fmnist_vit", g);

        var types = Workload.ParamTypes(model);

        Assert.Equal(ParameterType.AttentionQkv, types["blocks.0.qkv.weight"]);
        Assert.Equal(ParameterType.AttentionOut, types["blocks.0.proj.weight"]);
        Assert.Equal(ParameterType.AttentionBias, types["blocks.0.qkv.bias"]);
        Assert.Equal(ParameterType.LayerNormScale, types["ln.weight"]);
        Assert.Equal(ParameterType.Embedding, types["pos"]);
        Assert.Equal(ParameterType.ConvWeight, types["patch.weight"]);
        Assert.Equal([64L, 1, 4, 4], Workload.ParamShapes(model)["patch.weight"]);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void CreateModel_EveryDevWorkload_OnlyBatchNormStatisticsAsBuffersAndNoCycle(string name)
    {
        using var g = new Generator(1);
        using var model = DevSuite.CreateModel(name, g);

        var buffers = model.named_buffers().Select(b => b.name).ToList();
        var modules = model.named_modules().Select(m => m.name).ToList();

        Assert.All(buffers, b => Assert.Matches(@"\.(running_mean|running_var|num_batches_tracked)$", b));
        Assert.Equal(modules.Count, modules.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain(modules, m => m.Contains('_', StringComparison.Ordinal) && !m.Contains("up_transpose", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("lm_transformer")]
    [InlineData("dlrm_synth")]
    [InlineData("unet_denoise")]
    public void Dispose_AfterTrainingStep_ReleasesEveryHandle(string name)
    {
        var before = TorchEnvironment.LiveTensors;
        using (var scope = torch.NewDisposeScope())
        {
            using var g = new Generator(4);
            using var model = DevSuite.CreateModel(name, g);
            using var batch = DevSuite.RandomBatch(name, 3, g);
            using var optimizer = new BenchAdamW(model.parameters());
            Loss(name, model.forward(batch.Inputs), batch.Targets).backward();
            optimizer.Step();
        }

        Assert.Equal(before, TorchEnvironment.LiveTensors);
    }

    [Fact]
    public void Forward_Dropout_ChangesTrainOutputOnlyAndFollowsGenerator()
    {
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(5);
        using var model = DevSuite.CreateModel("fmnist_mlp", g);
        using var batch = DevSuite.RandomBatch("fmnist_mlp", 4, g);

        var plain = model.forward(batch.Inputs).ToArray<float>();
        model.DropoutRate = 0.5;
        using var g1 = new Generator(9);
        model.DropoutGenerator = g1;
        var dropped1 = model.forward(batch.Inputs).ToArray<float>();
        using var g2 = new Generator(9);
        model.DropoutGenerator = g2;
        var dropped2 = model.forward(batch.Inputs).ToArray<float>();
        model.eval();
        var eval = model.forward(batch.Inputs).ToArray<float>();

        Assert.NotEqual(plain, dropped1);
        Assert.Equal(dropped1, dropped2);
        Assert.Equal(plain, eval);
    }

    /// <summary>peer_models.py's <c>fill</c>: parameter j = sin(0.37(i + 1) + 1.1(j + 1)) / sqrt(numel / shape[0]), as float32.</summary>
    private static void Fill(WorkloadModel model)
    {
        using var noGrad = torch.no_grad();
        var j = 0;
        foreach (var p in model.parameters())
        {
            var shape = p.shape;
            var numel = shape.Aggregate(1L, (a, d) => a * d);
            var scale = Math.Sqrt(numel / (double)shape[0]);
            var values = Wave((int)numel, 0.37, 1.1 * (j + 1)).Select(v => (float)(v / scale)).ToArray();
            p.copy_(torch.tensor(values, shape));
            j++;
        }
    }

    private static double[] Wave(int n, double a, double b) => Enumerable.Range(0, n).Select(i => Math.Sin((a * (i + 1)) + b)).ToArray();

    private static long[] Ints(int n, long mul, long add, long mod) => Enumerable.Range(0, n).Select(i => ((i * mul) + add) % mod).ToArray();

    private static float[] Floats(double[] values) => values.Select(v => (float)v).ToArray();

    /// <summary>peer_models.py's <c>inputs</c>.</summary>
    private static (Tensor[] Inputs, Tensor Targets) PeerInputs(string name)
    {
        switch (DevSuite.Family(name))
        {
            case "lm_transformer":
                return ([torch.tensor(Ints(256, 37, 11, 256), [2, 128])], torch.tensor(Ints(256, 53, 5, 256), [2, 128]));
            case "dlrm_synth":
                var clicks = Ints(8, 1, 0, 3).Select(v => v == 0 ? 1f : 0f).ToArray();
                return ([torch.tensor(Floats(Wave(8 * 13, 0.21, 0.4)), [8, 13]), torch.tensor(Ints(8 * 26, 131, 7, 1000), [8, 26])], torch.tensor(clicks, [8]));
            default:
                var x = torch.tensor(Floats(Wave(4 * 784, 0.05, 0.3)), [4, 1, 28, 28]);
                return DevSuite.Family(name) == "unet_denoise"
                    ? ([x], torch.tensor(Wave(4 * 784, 0.11, 0).Select(v => (float)((v + 1) / 2)).ToArray(), [4, 1, 28, 28]))
                    : ([x], torch.tensor(Ints(4, 3, 1, 10), [4]));
        }
    }

    /// <summary>The mean training loss as the workloads define it: label smoothing 0.1 (cross-entropy, BCE), L1 for the U-Net.</summary>
    private static Tensor Loss(string name, Tensor output, Tensor targets) => DevSuite.Family(name) switch
    {
        "lm_transformer" => LanguageModelWorkload.TokenCrossEntropy(targets, output, 0.1).mean(),
        "dlrm_synth" => DlrmWorkload.BinaryCrossEntropy(targets.to(output.dtype), output, 0.1).mean(),
        "unet_denoise" => DenoisingWorkload.MeanAbsoluteError(targets.to(output.dtype), output).mean(),
        _ => functional.cross_entropy(output, targets, label_smoothing: 0.1),
    };

    private static float[] Snapshot(string name, ulong seed)
    {
        using var g = new Generator(seed);
        using var model = DevSuite.CreateModel(name, g);
        return model.parameters().SelectMany(p => p.ToArray<float>()).ToArray();
    }
}
