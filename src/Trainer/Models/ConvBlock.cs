using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Models;

/// <summary>
/// fastMRI's U-Net <c>ConvBlock</c>: twice (3×3 conv without bias, instance norm, act, dropout). The convs are the
/// children <c>0</c> and <c>1</c>; instance norm has no parameters (fastMRI's <c>InstanceNorm2d</c> default).
/// </summary>
public sealed class ConvBlock : nn.Module<Tensor, Tensor>
{
    private readonly WorkloadModel _owner;
    private readonly Conv2d _first;
    private readonly Conv2d _second;
    private readonly Activation _activation;

    /// <summary>Creates the block, drawing its initial parameters from <paramref name="generator"/>.</summary>
    public ConvBlock(WorkloadModel owner, long inChannels, long outChannels, Activation activation, Generator generator)
        : base(nameof(ConvBlock))
    {
        _owner = owner;
        _activation = activation;
        _first = Layers.Conv2d(inChannels, outChannels, 3, generator, padding: 1, bias: false);
        _second = Layers.Conv2d(outChannels, outChannels, 3, generator, padding: 1, bias: false);
        register_module("0", _first);
        register_module("1", _second);
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
        var x = NormAct(_first.forward(input));
        return NormAct(_second.forward(x));
    }

    /// <summary>Instance norm, activation and (when the owner's rate is above 0 in training) dropout.</summary>
    internal Tensor NormAct(Tensor x) => _owner.Dropout(ActivationLayer.Apply(_activation, InstanceNorm(x)));

    /// <summary>
    /// <c>InstanceNorm2d</c> without affine parameters or running statistics: every (sample, channel) plane normalised
    /// by its own mean and biased variance, eps 1e-5. Computed as batch norm over the planes, as LibTorch does.
    /// </summary>
    internal static Tensor InstanceNorm(Tensor x)
    {
        var shape = x.shape;
        var planes = x.reshape(1, shape[0] * shape[1], shape[2], shape[3]);
        return nn.functional.batch_norm(planes, null, null, null, null, training: true, 0.1, 1e-5).view(shape);
    }
}
