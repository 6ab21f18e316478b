namespace AlgoPerf.Torch.Tests.NN;

using AlgoPerf.Torch.NN;
using Tensor = AlgoPerf.Torch.Tensor;

[Collection("Sequential")]
public sealed class TrainingTests
{
    // Four Gaussian blobs in 8 dims; the class is which blob a point came from.
    private static (Tensor X, Tensor Y) Blobs(Generator g, Tensor centers, long n)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var y = Tensor.Randint(0, 4, [n], g);
        var x = centers.IndexSelect(0, y).Add(Tensor.Randn([n, 8], g));
        return (x.MoveToOuterScope(), y.MoveToOuterScope());
    }

    private static void SgdStep(Module model, double lr)
    {
        using var noGrad = TorchRuntime.NoGrad();
        foreach (var p in model.Parameters())
        {
            using var grad = p.Grad!;
            p.Tensor.Add_(grad, -lr);
        }
    }

    [Fact]
    public void Mlp_GeneratedClassificationTask_LearnsAbove95Percent()
    {
        using var g = new Generator(2024);
        using var centers = Tensor.Randn([4, 8], g).Mul(2.0);
        var (trainX, trainY) = Blobs(g, centers, 2048);
        var (testX, testY) = Blobs(g, centers, 1024);
        using var model = new Sequential(new Linear(8, 32, generator: g), new ReLU(), new Linear(32, 4, generator: g));

        for (var step = 0; step < 300; step++)
        {
            using var scope = TorchRuntime.NewDisposeScope();
            var batch = Tensor.Randint(0, 2048, [64], g);
            model.ZeroGrad();
            Functional.CrossEntropy(model.Forward(trainX.IndexSelect(0, batch)), trainY.IndexSelect(0, batch)).Backward();
            SgdStep(model, 0.1);
        }

        double accuracy;
        using (TorchRuntime.NewDisposeScope())
        using (TorchRuntime.NoGrad())
        {
            model.Eval();
            accuracy = model.Forward(testX).ArgMax(1).Eq(testY).To(ScalarType.Float64).Mean().ToDouble();
        }

        Assert.True(accuracy > 0.95, $"test accuracy {accuracy:P1}");
        foreach (var t in new[] { trainX, trainY, testX, testY })
        {
            t.Dispose();
        }
    }

    [Fact]
    public void TrainingSteps_Thousand_LeaveLiveHandlesWhereTheyStarted()
    {
        using var g = new Generator(7);
        using var model = new Sequential(new Linear(8, 16, generator: g), new ReLU(), new Linear(16, 3, generator: g));
        using var x = Tensor.Randn([32, 8], g);
        using var y = Tensor.Randint(0, 3, [32], g);
        var before = HandleStatistics.Live;

        for (var step = 0; step < 1000; step++)
        {
            using var scope = TorchRuntime.NewDisposeScope();
            model.ZeroGrad();
            var loss = Functional.CrossEntropy(model.Forward(x), y, labelSmoothing: 0.1);
            loss.Backward();
            SgdStep(model, 0.05);
        }

        Assert.Equal(before, HandleStatistics.Live);
    }
}
