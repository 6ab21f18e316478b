using AlgoPerf.Torch;
using AlgoPerf.Torch.NN;

namespace AlgoPerf.Trainer.Models;

/// <summary>
/// The peer's ResNet <c>Block</c>: 3×3 conv (no bias), batch norm, act, 3×3 conv, batch norm, plus the input (or a
/// 1×1 strided conv + batch norm shortcut when the shape changes), then act.
/// </summary>
public sealed class ResidualBlock : Module<Tensor, Tensor>
{
    private readonly Conv2d _c1;
    private readonly BatchNorm2d _b1;
    private readonly Conv2d _c2;
    private readonly BatchNorm2d _b2;
    private readonly Sequential? _shortcut;
    private readonly Activation _activation;

    /// <summary>Creates the block.</summary>
    public ResidualBlock(long inChannels, long outChannels, long stride, Generator generator, Activation activation)
    {
        _activation = activation;
        _c1 = RegisterModule("c1", new Conv2d(inChannels, outChannels, 3, stride, 1, bias: false, generator: generator));
        _b1 = RegisterModule("b1", new BatchNorm2d(outChannels));
        _c2 = RegisterModule("c2", new Conv2d(outChannels, outChannels, 3, 1, 1, bias: false, generator: generator));
        _b2 = RegisterModule("b2", new BatchNorm2d(outChannels));
        if (stride != 1 || inChannels != outChannels)
        {
            _shortcut = RegisterModule("sc", new Sequential(
                new Conv2d(inChannels, outChannels, 1, stride, bias: false, generator: generator),
                new BatchNorm2d(outChannels)));
        }
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var y = ActivationLayer.Apply(_activation, _b1.Forward(_c1.Forward(input)));
        y = _b2.Forward(_c2.Forward(y));
        var sum = y.Add_(_shortcut is null ? input : _shortcut.Forward(input));
        return ActivationLayer.Apply(_activation, sum);
    }
}
