using AlgoPerf.Trainer.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Models;

/// <summary>
/// The peer's ResNet <c>Block</c>: 3×3 conv (no bias), batch norm, act, 3×3 conv, batch norm, plus the input (or a
/// 1×1 strided conv + batch norm shortcut when the shape changes), then act.
/// </summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d _c1;
    private readonly BatchNorm2d _b1;
    private readonly Conv2d _c2;
    private readonly BatchNorm2d _b2;
    private readonly Sequential? _shortcut;
    private readonly Activation _activation;

    /// <summary>Creates the block, drawing its initial parameters from <paramref name="generator"/>.</summary>
    public ResidualBlock(long inChannels, long outChannels, long stride, Generator generator, Activation activation)
        : base(nameof(ResidualBlock))
    {
        _activation = activation;
        _c1 = Layers.Conv2d(inChannels, outChannels, 3, generator, stride, 1, bias: false);
        _b1 = new BatchNorm2d(outChannels);
        _c2 = Layers.Conv2d(outChannels, outChannels, 3, generator, 1, 1, bias: false);
        _b2 = new BatchNorm2d(outChannels);
        register_module("c1", _c1);
        register_module("b1", _b1);
        register_module("c2", _c2);
        register_module("b2", _b2);
        if (stride != 1 || inChannels != outChannels)
        {
            _shortcut = nn.Sequential(Layers.Conv2d(inChannels, outChannels, 1, generator, stride, bias: false), new BatchNorm2d(outChannels));
            register_module("sc", _shortcut);
        }
    }

    /// <summary>
    /// Registers nothing by reflection: every child, parameter and buffer is registered explicitly under the peer's
    /// name (TorchSharp would otherwise register each field under its field name, the owner reference included).
    /// </summary>
    protected override void RegisterComponents()
    {
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var y = ActivationLayer.Apply(_activation, _b1.forward(_c1.forward(input)));
        y = _b2.forward(_c2.forward(y));
        var sum = y.add_(_shortcut is null ? input : _shortcut.forward(input), Scalars.One);
        return ActivationLayer.Apply(_activation, sum);
    }
}
