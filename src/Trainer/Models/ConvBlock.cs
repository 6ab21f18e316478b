using AlgoPerf.Torch;
using AlgoPerf.Torch.NN;

namespace AlgoPerf.Trainer.Models;

/// <summary>
/// fastMRI's U-Net <c>ConvBlock</c>: twice (3×3 conv without bias, instance norm, act, dropout). The convs are the
/// children <c>0</c> and <c>1</c>; instance norm has no parameters (fastMRI's <c>InstanceNorm2d</c> default).
/// </summary>
public sealed class ConvBlock : Module<Tensor, Tensor>
{
    private readonly WorkloadModel _owner;
    private readonly Conv2d _first;
    private readonly Conv2d _second;
    private readonly Activation _activation;

    /// <summary>Creates the block.</summary>
    public ConvBlock(WorkloadModel owner, long inChannels, long outChannels, Activation activation, Generator generator)
    {
        _owner = owner;
        _activation = activation;
        _first = RegisterModule("0", new Conv2d(inChannels, outChannels, 3, 1, 1, bias: false, generator: generator));
        _second = RegisterModule("1", new Conv2d(outChannels, outChannels, 3, 1, 1, bias: false, generator: generator));
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var x = NormAct(_first.Forward(input));
        return NormAct(_second.Forward(x));
    }

    /// <summary>Instance norm (per example and channel, over H and W, eps 1e-5, biased variance), then the activation.</summary>
    internal Tensor NormAct(Tensor x)
    {
        var y = ActivationLayer.Apply(_activation, InstanceNorm(x));
        return _owner.DropoutRate > 0 && _owner.IsTraining ? Functional.Dropout(y, _owner.DropoutRate, true, _owner.DropoutGenerator) : y;
    }

    /// <summary>
    /// <c>F.instance_norm</c> without affine parameters or running statistics: batch norm in training mode over the
    /// (1, B·C, H, W) view, which normalises each (example, channel) plane by its own mean and biased variance.
    /// </summary>
    internal static Tensor InstanceNorm(Tensor x)
    {
        var shape = x.Shape;
        var planes = x.Reshape(1, shape[0] * shape[1], shape[2], shape[3]);
        return Functional.BatchNorm(planes, null, null, null, null, training: true, 0.1, 1e-5).View(shape);
    }
}
