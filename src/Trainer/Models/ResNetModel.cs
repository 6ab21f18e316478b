using AlgoPerf.Torch;
using AlgoPerf.Torch.NN;

namespace AlgoPerf.Trainer.Models;

/// <summary>
/// <c>fmnist_resnet</c>: the peer's <c>ResNet</c>: stem (3×3 conv 1→16, batch norm, act), six residual blocks
/// (16, 16, 16→32 stride 2, 32, 32→64 stride 2, 64), global average pool, Linear(64, 10); 174,970 parameters.
/// The variant <c>fmnist_resnet_silu</c> uses SiLU (as <c>imagenet_resnet_silu</c>).
/// </summary>
public sealed class ResNetModel : WorkloadModel
{
    private readonly Sequential _stem;
    private readonly Sequential _layers;
    private readonly Linear _fc;

    /// <summary>Creates the model, drawing its initial parameters from <paramref name="generator"/>.</summary>
    public ResNetModel(Generator generator, Activation activation = Activation.Relu)
    {
        _stem = RegisterModule("stem", new Sequential(
            new Conv2d(1, 16, 3, 1, 1, bias: false, generator: generator),
            new BatchNorm2d(16),
            new ActivationLayer(activation)));
        _layers = RegisterModule("layers", new Sequential(
            new ResidualBlock(16, 16, 1, generator, activation),
            new ResidualBlock(16, 16, 1, generator, activation),
            new ResidualBlock(16, 32, 2, generator, activation),
            new ResidualBlock(32, 32, 1, generator, activation),
            new ResidualBlock(32, 64, 2, generator, activation),
            new ResidualBlock(64, 64, 1, generator, activation)));
        _fc = RegisterModule("fc", new Linear(64, 10, generator: generator));
    }

    /// <inheritdoc />
    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var features = _layers.Forward(_stem.Forward(inputs[0]));
        return _fc.Forward(Dropout(features.Mean([2, 3])));
    }
}
