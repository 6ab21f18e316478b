using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Models;

/// <summary>
/// <c>unet_denoise</c> (the fastMRI analog): fastMRI's U-Net shape scaled down to 28×28 Fashion-MNIST images:
/// 16 channels, 2 pooling levels. Down path ConvBlock(1→16), 2×2 average pool, ConvBlock(16→32), pool; bottleneck
/// ConvBlock(32→64); up path per level a 2×2 stride-2 transposed conv without bias (64→32, 32→16) followed by
/// instance norm and act, concatenated with the skip, and a ConvBlock (64→32, 32→16); a 1×1 conv (16→1, with
/// bias) gives the denoised image. 116,385 parameters (names as <c>tests/Trainer.Tests/Models/peer_models.py</c>'s
/// PyTorch definition). Activation: leaky ReLU (slope 0.2) as fastMRI; the variant <c>unet_denoise_tanh</c> uses
/// tanh (as <c>fastmri_tanh</c>).
/// </summary>
public sealed class UNetModel : WorkloadModel
{
    private const int Channels = 16;
    private const int Pools = 2;
    private readonly ConvBlock[] _down;
    private readonly ConvBlock _bottleneck;
    private readonly ConvTranspose2d[] _upTranspose;
    private readonly ConvBlock[] _up;
    private readonly Conv2d _out;

    /// <summary>Creates the model, drawing its initial parameters from <paramref name="generator"/>.</summary>
    public UNetModel(Generator generator, Activation activation = Activation.LeakyRelu)
        : base(nameof(UNetModel))
    {
        _down = new ConvBlock[Pools];
        _down[0] = new ConvBlock(this, 1, Channels, activation, generator);
        for (var i = 1; i < Pools; i++)
        {
            _down[i] = new ConvBlock(this, Channels << (i - 1), Channels << i, activation, generator);
        }

        register_module("down", nn.ModuleList(_down));
        _bottleneck = new ConvBlock(this, Channels << (Pools - 1), Channels << Pools, activation, generator);
        register_module("bottleneck", _bottleneck);
        _upTranspose = new ConvTranspose2d[Pools];
        _up = new ConvBlock[Pools];
        for (var k = 0; k < Pools; k++)
        {
            var level = Pools - 1 - k;
            _upTranspose[k] = Layers.ConvTranspose2d(Channels << (level + 1), Channels << level, 2, generator, stride: 2, bias: false);
        }

        register_module("up_transpose", nn.ModuleList(_upTranspose));
        for (var k = 0; k < Pools; k++)
        {
            var level = Pools - 1 - k;
            _up[k] = new ConvBlock(this, Channels << (level + 1), Channels << level, activation, generator);
        }

        register_module("up", nn.ModuleList(_up));
        _out = Layers.Conv2d(Channels, 1, 1, generator);
        register_module("out", _out);
    }

    /// <inheritdoc />
    public override Tensor forward(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var x = inputs[0];
        var skips = new Tensor[Pools];
        for (var i = 0; i < Pools; i++)
        {
            skips[i] = _down[i].forward(x);
            x = nn.functional.avg_pool2d(skips[i], [2, 2]);
        }

        x = _bottleneck.forward(x);
        for (var k = 0; k < Pools; k++)
        {
            var up = _up[k].NormAct(_upTranspose[k].forward(x));
            x = _up[k].forward(torch.cat([up, skips[Pools - 1 - k]], 1));
        }

        return _out.forward(x);
    }
}
