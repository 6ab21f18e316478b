using TorchSharp;
using static TorchSharp.torch;
using AlgoPerf.Trainer.Data;
using AlgoPerf.Trainer.Models;
using AlgoPerf.Trainer.Workloads;

namespace AlgoPerf.Trainer.Tests.Workloads;

/// <summary>The workload API (<c>loss_fn</c>, <c>model_fn</c>, eval, input queue) on small in-memory data.</summary>
[Collection("Torch")]
public sealed class WorkloadTests
{
    [Fact]
    public void BatchTo_ItsOwnDevice_ReturnsTheSameBatchUndisposed()
    {
        using var batch = new Batch([torch.ones(2, 3)], torch.zeros(2));

        var moved = batch.To(CPU);

        Assert.Same(batch, moved);
        Assert.False(batch.Targets.IsInvalid);
        Assert.Equal(6.0, moved.Inputs[0].sum().ToDouble());
    }

    [Fact]
    public void InitModel_OnTheCpu_SameParametersAsBeforeOnAndBatchesStayOnTheCpu()
    {
        var workload = DevSuite.Load("fmnist_mlp");
        using var plain = workload.InitModel(5);
        var onCpu = workload.On(CPU);
        using var placed = onCpu.InitModel(5);

        Assert.Same(workload, onCpu);
        Assert.Equal(DeviceType.CPU, onCpu.Device.type);
        foreach (var ((name, a), (_, b)) in plain.named_parameters().Zip(placed.named_parameters()))
        {
            Assert.True(a.equal(b).all().ToBoolean(), name);
            Assert.Equal(DeviceType.CPU, b.device.type);
        }
    }

    [Fact]
    public void LossFn_LabelSmoothing_MatchesClosedFormCrossEntropy()
    {
        using var scope = torch.NewDisposeScope();
        var workload = SmallImages("fmnist_mlp");
        double[] logits = [0.5, -1.0, 2.0, 0.0, 1.5, -0.5];
        long[] labels = [2, 0];

        var result = workload.LossFn(torch.tensor(labels, [2]), torch.tensor(logits, [2, 3]), labelSmoothing: 0.2);

        // (1 − s)·(−log p_y) + s·mean_c(−log p_c), per example.
        double[] expected = [0, 0];
        for (var i = 0; i < 2; i++)
        {
            var row = logits.AsSpan(i * 3, 3).ToArray();
            var logZ = Math.Log(row.Sum(Math.Exp));
            var nll = row.Select(v => logZ - v).ToArray();
            expected[i] = (0.8 * nll[labels[i]]) + (0.2 * nll.Average());
        }

        Assert.Equal(2, result.NValidExamples);
        Assert.Equal(expected[0], result.PerExample.ToArray<double>()[0], 1e-12);
        Assert.Equal(expected[1], result.PerExample.ToArray<double>()[1], 1e-12);
        Assert.Equal(expected.Sum(), result.Summed.ToDouble(), 1e-12);
        Assert.Equal(expected.Sum() / 2, result.Mean().ToDouble(), 1e-12);
    }

    [Fact]
    public void LossFn_Mask_SumsOnlyRealExamplesAndCountsThem()
    {
        using var scope = torch.NewDisposeScope();
        var workload = SmallDlrm();
        double[] logits = [0.3, -2.0, 1.0, 4.0];
        double[] clicks = [1, 0, 0, 1];

        var result = workload.LossFn(torch.tensor(clicks, [4]), torch.tensor(logits, [4]), torch.tensor(new double[] { 1, 1, 0, 0 }, [4]), labelSmoothing: 0.1);

        // BCE against t(1 − s) + s/2.
        static double Bce(double x, double t) => (Math.Max(x, 0) - (x * t)) + Math.Log(1 + Math.Exp(-Math.Abs(x)));
        var expected = Bce(0.3, 0.95) + Bce(-2.0, 0.05);
        Assert.Equal(2, result.NValidExamples);
        Assert.Equal(expected, result.Summed.ToDouble(), 1e-12);
        Assert.Equal([Bce(0.3, 0.95), Bce(-2.0, 0.05), 0, 0], result.PerExample.ToArray<double>(), new ToleranceComparer(1e-12));
    }

    [Fact]
    public void LossFn_LanguageModelExampleMask_CountsTokens()
    {
        using var scope = torch.NewDisposeScope();
        var workload = SmallText();
        using var g = new Generator(1);
        var logits = torch.randn([3, LmModel.Context, 256], generator: g);
        var targets = torch.randint(0, 256, [3, LmModel.Context], generator: g);

        var all = workload.LossFn(targets, logits);
        var masked = workload.LossFn(targets, logits, torch.tensor(new float[] { 1, 0, 1 }, [3]));

        var perToken = all.PerExample.ToArray<float>();
        var expected = perToken.Take(LmModel.Context).Concat(perToken.Skip(2 * LmModel.Context)).Sum(v => (double)v);
        Assert.Equal([3L, LmModel.Context], all.PerExample.shape);
        Assert.Equal(3 * LmModel.Context, all.NValidExamples);
        Assert.Equal(2 * LmModel.Context, masked.NValidExamples);
        Assert.Equal(expected, masked.Summed.ToDouble(), 1e-3);
    }

    [Fact]
    public void ModelFn_EvalMode_NoGradientAndUnchangedBatchNormStatistics()
    {
        using var scope = torch.NewDisposeScope();
        var workload = SmallImages("fmnist_resnet");
        using var model = workload.InitModel(3);
        using var input = workload.BuildInputQueue(5, 4).Next();
        var runningMean = model.named_buffers().First(b => b.name == "stem.1.running_mean").buffer;
        var before = runningMean.ToArray<float>();

        var evalOut = workload.ModelFn(model, input, ModelMode.Eval);
        var frozen = workload.ModelFn(model, input, ModelMode.Train, updateBatchNorm: false);
        var unchanged = runningMean.ToArray<float>();
        var trainOut = workload.ModelFn(model, input, ModelMode.Train);

        Assert.False(evalOut.requires_grad);
        Assert.True(frozen.requires_grad && trainOut.requires_grad);
        Assert.Equal(before, unchanged);
        Assert.NotEqual(before, runningMean.ToArray<float>());
        Assert.Equal([4L, 10], evalOut.shape);
    }

    [Fact]
    public void EvalModel_SmallImages_ReferenceKeysCountsAndRestoredMode()
    {
        using var scope = torch.NewDisposeScope();
        var workload = SmallImages("fmnist_mlp");
        using var model = workload.InitModel(1);

        var result = workload.EvalModel(model);

        Assert.Equal(
            ["test/accuracy", "test/loss", "test/num_examples", "train/accuracy", "train/loss", "validation/accuracy", "validation/loss", "validation/num_examples"],
            result.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(7, result["validation/num_examples"]);
        Assert.Equal(5, result["test/num_examples"]);
        Assert.InRange(result["validation/accuracy"], 0, 1);
        Assert.Equal(Math.Round(result["validation/accuracy"] * 7), result["validation/accuracy"] * 7, 1e-9);
        Assert.True(model.training);
        Assert.True(double.IsFinite(result["train/loss"]));
    }

    [Fact]
    public void EvalSplit_ShortLastBatch_AccuracyIsMeanOfPerExampleCorrect()
    {
        using var scope = torch.NewDisposeScope();
        var workload = SmallImages("fmnist_mlp", evalBatchSize: 3);
        using var model = workload.InitModel(2);

        var batched = workload.EvalSplit(model, DataSplit.Validation, 7);
        var whole = SmallImages("fmnist_mlp", evalBatchSize: 100).EvalSplit(model, DataSplit.Validation, 7);

        Assert.Equal(whole["accuracy"], batched["accuracy"], 1e-12);
        Assert.Equal(whole["loss"], batched["loss"], 1e-5);
    }

    [Fact]
    public void BuildInputQueue_RestoredPosition_SameBatchesIncludingNoise()
    {
        using var scope = torch.NewDisposeScope();
        var workload = new DenoisingWorkload(DevSuiteSpecs.Get("unet_denoise"), SmallFashion(), evalBatchSize: 4);
        var input = workload.BuildInputQueue(11, 4);
        input.Next();
        input.Next();
        input.Next();
        var position = input.Position;
        var expected = input.Next().Inputs[0].ToArray<float>();

        var resumed = workload.BuildInputQueue(11, 4);
        resumed.Restore(position);
        var actual = resumed.Next().Inputs[0].ToArray<float>();
        var otherSeed = workload.BuildInputQueue(12, 4);
        otherSeed.Restore(position);

        Assert.Equal(expected, actual);
        Assert.NotEqual(expected, otherSeed.Next().Inputs[0].ToArray<float>());
    }

    [Fact]
    public void DenoisingWorkload_Eval_SsimAndL1WithFixedNoise()
    {
        using var scope = torch.NewDisposeScope();
        var workload = new DenoisingWorkload(DevSuiteSpecs.Get("unet_denoise"), SmallFashion(), evalBatchSize: 4);
        using var model = workload.InitModel(1);

        var first = workload.EvalSplit(model, DataSplit.Test, 5);
        var second = workload.EvalSplit(model, DataSplit.Test, 5);

        Assert.Equal(["loss", "ssim"], first.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(first["ssim"], second["ssim"]);
        Assert.InRange(first["ssim"], -1, 1);
        Assert.True(first["loss"] > 0);
    }

    [Fact]
    public void DevSuiteSpecs_Variants_InheritBudgetStepHintAndEvalPeriod()
    {
        foreach (var name in DevSuite.Names)
        {
            var spec = DevSuiteSpecs.Get(name);
            var family = DevSuiteSpecs.Get(DevSuite.Family(name));
            Assert.Equal((family.MaxRuntimeSec, family.StepHint, family.EvalPeriodSec, family.TargetMetric), (spec.MaxRuntimeSec, spec.StepHint, spec.EvalPeriodSec, spec.TargetMetric));
            Assert.Equal(spec.IsVariant, name != DevSuite.Family(name));
        }

        Assert.Throws<ArgumentException>(() => DevSuiteSpecs.Get("imagenet_resnet"));
    }

    [Fact]
    public void DevSuiteSpecs_MeasuredAndProvisional_PartitionTheSuiteAndNoVariantIsMeasuredBeforeItsBase()
    {
        Assert.Equal(DevSuite.Names.Order(StringComparer.Ordinal), DevSuiteSpecs.Measured.Concat(DevSuiteSpecs.Provisional).Order(StringComparer.Ordinal));
        Assert.Empty(DevSuiteSpecs.Measured.Intersect(DevSuiteSpecs.Provisional));

        // A variant keeps its base's budget, step hint and eval period: its targets can only be measured after its
        // base's (a measured base may still have a provisional variant, whose targets are then the estimate).
        Assert.All(DevSuiteSpecs.Measured, n => Assert.Contains(DevSuite.Family(n), DevSuiteSpecs.Measured));
    }

    private static FashionMnistData SmallFashion()
    {
        static ImageSplit Split(string name, int count, int salt)
        {
            var pixels = new byte[count * 784];
            var labels = new byte[count];
            for (var i = 0; i < pixels.Length; i++)
            {
                pixels[i] = (byte)(((i * 31) + (salt * 7) + (i / 784 * 13)) % 256);
            }

            for (var i = 0; i < count; i++)
            {
                labels[i] = (byte)((i + salt) % 10);
            }

            return new ImageSplit(name, pixels, labels, 28, 28);
        }

        return new FashionMnistData(Split("train", 20, 0), Split("validation", 7, 1), Split("test", 5, 2));
    }

    private static ImageClassificationWorkload SmallImages(string name, int evalBatchSize = 4) =>
        new(DevSuiteSpecs.Get(name), SmallFashion(), g => DevSuite.CreateModel(name, g), evalBatchSize);

    private static DlrmWorkload SmallDlrm() => new(DevSuiteSpecs.Get("dlrm_synth"), DlrmSynthetic.Generate(16, 8, 8));

    private static LanguageModelWorkload SmallText()
    {
        static TextSplit Split(string name, int windows) =>
            new(name, Enumerable.Range(0, (windows * LmModel.Context) + 1).Select(i => (byte)(i * 7 % 251)).ToArray(), LmModel.Context);

        return new LanguageModelWorkload(DevSuiteSpecs.Get("lm_transformer"), new TextCorpus(Split("train", 4), Split("validation", 2), Split("test", 2), [], 0), evalBatchSize: 2);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
