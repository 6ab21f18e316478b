namespace AlgoPerf.Torch.Tests.NN;

using AlgoPerf.Torch.NN;
using Tensor = AlgoPerf.Torch.Tensor;

// Expected values come from PyTorch 1.13 (Debian python3-torch) running the same calls.
[Collection("Sequential")]
public sealed class FunctionalTests
{
    private static Tensor Grid() => Tensor.Arange(0, 16, 1, ScalarType.Float64).Reshape(1, 1, 4, 4);

    private static void Close(double[] expected, Tensor actual, double tolerance = 1e-12)
    {
        var a = actual.ToArray<double>();
        Assert.Equal(expected.Length, a.Length);
        for (var i = 0; i < a.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - a[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {a[i]}");
        }
    }

    [Fact]
    public void LinearAndConvolutions_MatchPyTorch()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var w = Tensor.FromArray([1.0, 0, 0, -1], 1, 1, 2, 2);

        Close([7.0, 17], Functional.Linear(Tensor.FromArray([1.0, 2], 1, 2), Tensor.FromArray([1.0, 2, 3, 4], 2, 2), Tensor.FromArray([2.0, 6], 2)));
        Close(Enumerable.Repeat(-4.5, 9).ToArray(), Functional.Conv2d(Grid(), w, Tensor.FromArray([0.5], 1)));
        Close([-10.0], Functional.Conv2d(Grid(), w, stride: (2, 2), dilation: (2, 2)));
        Close(
            [1.0, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4],
            Functional.ConvTranspose2d(Tensor.FromArray([1.0, 2, 3, 4], 1, 1, 2, 2), Tensor.Ones([1, 1, 2, 2], ScalarType.Float64), stride: (2, 2)));
    }

    [Fact]
    public void Pooling_MatchesPyTorch()
    {
        using var scope = TorchRuntime.NewDisposeScope();

        Close([5.0, 7, 13, 15], Functional.MaxPool2d(Grid(), (2, 2)));
        Close([2.5, 4.5, 10.5, 12.5], Functional.AvgPool2d(Grid(), (2, 2)));
        Close([6.5, 8.5], Functional.AdaptiveAvgPool2d(Grid(), (1, 2)));
        Assert.Equal([1L, 1L, 3L, 3L], Functional.MaxPool2d(Grid(), (2, 2), stride: (1, 1)).Shape);
    }

    [Fact]
    public void BatchNorm_TrainingAndEval_UseAndUpdateRunningStats()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = Tensor.FromArray([1.0, 2, 3, 6], 2, 2, 1, 1);
        var mean = Tensor.Zeros([2], ScalarType.Float64);
        var variance = Tensor.Ones([2], ScalarType.Float64);

        var y = Functional.BatchNorm(x, mean, variance, training: true, momentum: 0.1);

        Close([-0.9999950000374997, -0.9999987500023437, 0.9999950000374997, 0.9999987500023437], y);
        Close([0.2, 0.4], mean);
        Close([1.1, 1.7], variance);
        var evaluated = Functional.BatchNorm(x, mean, variance, Tensor.FromArray([2.0, 1], 2), Tensor.FromArray([0.0, 1], 2), training: false, eps: 0);
        Close([2 * (1 - 0.2) / Math.Sqrt(1.1), 1 + ((2 - 0.4) / Math.Sqrt(1.7)), 2 * (3 - 0.2) / Math.Sqrt(1.1), 1 + ((6 - 0.4) / Math.Sqrt(1.7))], evaluated);
        Close([0.2, 0.4], mean);
    }

    [Fact]
    public void LayerNormEmbeddingSoftmax_MatchDefinitions()
    {
        using var scope = TorchRuntime.NewDisposeScope();

        Close([-1.0, 1, -1, 1], Functional.LayerNorm(Tensor.FromArray([1.0, 3, 5, 9], 2, 2), [2], eps: 0));
        Close([3.0, 4, 1, 2, 3, 4], Functional.Embedding(Tensor.FromArray([1L, 0L, 1L], 3), Tensor.FromArray([1.0, 2, 3, 4], 2, 2)));
        var e = Math.Exp(1);
        Close([1 / (1 + e), e / (1 + e)], Functional.Softmax(Tensor.FromArray([0.0, 1], 2), 0));
        Close([-Math.Log(1 + e), 1 - Math.Log(1 + e)], Functional.LogSoftmax(Tensor.FromArray([0.0, 1], 2), -1));
        Close([0.01 * -2, 3], Functional.LeakyRelu(Tensor.FromArray([-2.0, 3], 2)));
    }

    [Fact]
    public void CrossEntropy_SmoothingIgnoreIndexAndReductions_MatchPyTorch()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var logits = Tensor.FromArray([2.0, 1, 0, 0, 0, 3, 1, 2, 3], 3, 3);
        var target = Tensor.FromArray([0L, 2L, -100L], 3);

        Close([0.25126446043267064], Functional.CrossEntropy(logits, target).Reshape(1));
        Close([0.4012644604326706], Functional.CrossEntropy(logits, target, labelSmoothing: 0.1).Reshape(1));
        Close([0.5025289208653413], Functional.CrossEntropy(logits, target, Reduction.Sum).Reshape(1));
        Close([0.4076059644443804, 0.09492295642096091, 0.0], Functional.CrossEntropy(logits, target, Reduction.None));
        Close([0.4076059644443804], Functional.NllLoss(Functional.LogSoftmax(logits, 1), Tensor.FromArray([0L, -100L, -100L], 3)).Reshape(1));
    }

    [Fact]
    public void RegressionAndBinaryLosses_MatchDefinitions()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var a = Tensor.FromArray([1.0, 2, 4], 3);
        var b = Tensor.FromArray([2.0, 2, 1], 3);

        Close([0.39366933584916475], Functional.BinaryCrossEntropyWithLogits(Tensor.FromArray([0.5, -1], 2), Tensor.FromArray([1.0, 0], 2)).Reshape(1));
        Close([10.0 / 3], Functional.MseLoss(a, b).Reshape(1));
        Close([4.0 / 3], Functional.L1Loss(a, b).Reshape(1));
        Close([1.0, 0, 9], Functional.MseLoss(a, b, Reduction.None));
        Close([4.0], Functional.L1Loss(a, b, Reduction.Sum).Reshape(1));
    }

    [Fact]
    public void PadInterpolateSmoothL1_MatchPyTorch()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = Tensor.FromArray([1.0, 2, 3, 4], 1, 1, 2, 2);

        Close([9.0, 1, 2, 9, 3, 4, 9, 9, 9], Functional.Pad(x, [1, 0, 0, 1], 9));
        Close([1.0, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4], Functional.Interpolate(x, (3, 3), bilinear: true, alignCorners: true));
        Close([1.0, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4], Functional.Interpolate(x, (4, 4)));
        Close([1.3125], Functional.SmoothL1Loss(Tensor.FromArray([0.0, 3], 2), Tensor.FromArray([0.5, 0.0], 2)).Reshape(1));
    }

    [Fact]
    public void Dropout_WithGenerator_IsDeterministicAndScaled()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var g1 = new Generator(5);
        using var g2 = new Generator(5);
        var x = Tensor.Ones([1000], ScalarType.Float64);

        var a = Functional.Dropout(x, 0.25, training: true, g1).ToArray<double>();
        var b = Functional.Dropout(x, 0.25, training: true, g2).ToArray<double>();

        Assert.Equal(a, b);
        Assert.All(a, v => Assert.True(v == 0 || Math.Abs(v - (1 / 0.75)) < 1e-15));
        Assert.InRange(a.Count(v => v == 0), 200, 300);
        Assert.Equal(x.ToArray<double>(), Functional.Dropout(x, 0.25, training: false, g1).ToArray<double>());
    }

    [Fact]
    public void Conv2d_ChannelMismatch_ThrowsWithLibtorchMessage()
    {
        using var scope = TorchRuntime.NewDisposeScope();

        var e = Assert.Throws<TorchException>(() => Functional.Conv2d(Tensor.Zeros([1, 3, 4, 4]), Tensor.Zeros([2, 2, 3, 3])));

        Assert.Equal("ats_nn_conv2d", e.Export);
        Assert.Contains("expected input[1, 3, 4, 4] to have 2 channels", e.NativeMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Gradients_NNFamily_MatchFiniteDifferences()
    {
        using var outer = TorchRuntime.NewDisposeScope();
        using var g = new Generator(9);
        var w = Tensor.Randn([3, 2, 2, 2], g, ScalarType.Float64);
        var wt = Tensor.Randn([2, 3, 2, 2], g, ScalarType.Float64);
        var lw = Tensor.Randn([4, 8], g, ScalarType.Float64);
        var labels = Tensor.FromArray([1L, 3L], 2);
        var probs = Tensor.Rand([2, 4], g, ScalarType.Float64);
        var x = GradCheck.Inputs(32, seed: 11);
        long[] image = [1, 2, 4, 4];
        long[] rows = [2, 16];

        GradCheck.Assert(t => Functional.Conv2d(t, w, padding: (1, 1)), x, image);
        GradCheck.Assert(t => Functional.ConvTranspose2d(t, wt, stride: (2, 2)), x, image);
        GradCheck.Assert(t => Functional.MaxPool2d(t, (2, 2)).Add(Functional.AvgPool2d(t, (2, 2))).Add(Functional.AdaptiveAvgPool2d(t, (1, 1))), x, image);
        GradCheck.Assert(t => Functional.BatchNorm(t, null, null, training: true), x, image, tolerance: 1e-4);
        GradCheck.Assert(t => Functional.LayerNorm(t, [16]), x, rows, tolerance: 1e-4);
        GradCheck.Assert(t => Functional.Softmax(Functional.Linear(t.Reshape(4, 8), lw), 1), x, rows);
        GradCheck.Assert(t => Functional.CrossEntropy(Functional.Linear(t.Reshape(4, 8), lw).Narrow(0, 0, 2), labels, labelSmoothing: 0.1), x, rows);
        GradCheck.Assert(t => Functional.BinaryCrossEntropyWithLogits(t.Reshape(4, 8).Narrow(1, 0, 4).Narrow(0, 0, 2), probs), x, rows);
        GradCheck.Assert(t => Functional.MseLoss(t, t.Square()).Add(Functional.L1Loss(t, t.Mul(0.5))), x, rows);
        GradCheck.Assert(t => Functional.Embedding(labels, t.Reshape(4, 8)), x, rows);
    }
}
