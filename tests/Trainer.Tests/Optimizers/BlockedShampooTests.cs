using AlgoPerf.Torch;
using AlgoPerf.Trainer.Optimizers;

namespace AlgoPerf.Trainer.Tests.Optimizers;

[Collection("Torch")]
public sealed class BlockedShampooTests
{
    [Theory]
    [InlineData(ShampooGrafting.Adam)]
    [InlineData(ShampooGrafting.Sgd)]
    public void Step_RankThreeParameter_EqualsTheSameValuesAsAMatrixOfDimZeroByTheRest(ShampooGrafting grafting)
    {
        // A [2, 2, 3] parameter (a convolution-like kernel) is preconditioned as its [2, 6] matrix.
        var values = Enumerable.Range(0, 12).Select(i => Math.Sin(0.3 * (i + 1))).ToArray();
        var grads = Enumerable.Range(0, 12).Select(i => Math.Cos(0.7 * (i + 1))).ToArray();
        using var cube = Tensor.FromArray(values, 2, 2, 3).DetachFromScope().RequiresGrad_();
        using var matrix = Tensor.FromArray(values, 2, 6).DetachFromScope().RequiresGrad_();
        using var shampooCube = new BlockedShampoo([cube], 0.9, 0.99, 0.1, 4, 2, 2, grafting);
        using var shampooMatrix = new BlockedShampoo([matrix], 0.9, 0.99, 0.1, 4, 2, 2, grafting);
        for (var t = 0; t < 4; t++)
        {
            var scale = 1.0 / (t + 1);
            cube.Grad = Tensor.FromArray(grads.Select(g => g * scale).ToArray(), 2, 2, 3).DetachFromScope();
            matrix.Grad = Tensor.FromArray(grads.Select(g => g * scale).ToArray(), 2, 6).DetachFromScope();
            shampooCube.Step(0.1);
            shampooMatrix.Step(0.1);
            using var scope = TorchRuntime.NewDisposeScope();
            Assert.Equal(matrix.Detach().ToArray<double>(), cube.Detach().ToArray<double>());
        }

        using var final = TorchRuntime.NewDisposeScope();
        Assert.NotEqual(values, cube.Detach().ToArray<double>());
    }
}
