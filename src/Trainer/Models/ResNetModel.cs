using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

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
        : base(nameof(ResNetModel))
    {
        _stem = nn.Sequential(Layers.Conv2d(1, 16, 3, generator, 1, 1, bias: false), new BatchNorm2d(16), new ActivationLayer(activation));
        _layers = nn.Sequential(
            new ResidualBlock(16, 16, 1, generator, activation),
            new ResidualBlock(16, 16, 1, generator, activation),
            new ResidualBlock(16, 32, 2, generator, activation),
            new ResidualBlock(32, 32, 1, generator, activation),
            new ResidualBlock(32, 64, 2, generator, activation),
            new ResidualBlock(64, 64, 1, generator, activation));
        _fc = Layers.Linear(64, 10, generator);
        register_module("stem", _stem);
        register_module("layers", _layers);
        register_module("fc", _fc);
    }

    /// <inheritdoc />
    public override Tensor forward(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var features = _layers.forward(_stem.forward(inputs[0]));
        return _fc.forward(Dropout(features.mean([2, 3])));
    }
}
