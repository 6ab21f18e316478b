using TorchSharp;
using static TorchSharp.torch;
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
        using var cube = torch.tensor(values, [2, 2, 3]).DetachFromDisposeScope().requires_grad_();
        using var matrix = torch.tensor(values, [2, 6]).DetachFromDisposeScope().requires_grad_();
        using var shampooCube = new BlockedShampoo([cube], 0.9, 0.99, 0.1, 4, 2, 2, grafting);
        using var shampooMatrix = new BlockedShampoo([matrix], 0.9, 0.99, 0.1, 4, 2, 2, grafting);
        for (var t = 0; t < 4; t++)
        {
            var scale = 1.0 / (t + 1);
            cube.grad = torch.tensor(grads.Select(g => g * scale).ToArray(), [2, 2, 3]).DetachFromDisposeScope();
            matrix.grad = torch.tensor(grads.Select(g => g * scale).ToArray(), [2, 6]).DetachFromDisposeScope();
            shampooCube.Step(0.1);
            shampooMatrix.Step(0.1);
            using var scope = torch.NewDisposeScope();
            Assert.Equal(matrix.detach().ToArray<double>(), cube.detach().ToArray<double>());
        }

        using var final = torch.NewDisposeScope();
        Assert.NotEqual(values, cube.detach().ToArray<double>());
    }
}
