using AlgoPerf.Torch;
using AlgoPerf.Torch.NN;

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
    {
        _down = new ConvBlock[Pools];
        _down[0] = new ConvBlock(this, 1, Channels, activation, generator);
        for (var i = 1; i < Pools; i++)
        {
            _down[i] = new ConvBlock(this, Channels << (i - 1), Channels << i, activation, generator);
        }

        RegisterModule("down", new Sequential(_down));
        _bottleneck = RegisterModule("bottleneck", new ConvBlock(this, Channels << (Pools - 1), Channels << Pools, activation, generator));
        _upTranspose = new ConvTranspose2d[Pools];
        _up = new ConvBlock[Pools];
        for (var k = 0; k < Pools; k++)
        {
            var level = Pools - 1 - k;
            _upTranspose[k] = new ConvTranspose2d(Channels << (level + 1), Channels << level, 2, 2, bias: false, generator: generator);
        }

        RegisterModule("up_transpose", new Sequential(_upTranspose));
        for (var k = 0; k < Pools; k++)
        {
            var level = Pools - 1 - k;
            _up[k] = new ConvBlock(this, Channels << (level + 1), Channels << level, activation, generator);
        }

        RegisterModule("up", new Sequential(_up));
        _out = RegisterModule("out", new Conv2d(Channels, 1, 1, generator: generator));
    }

    /// <summary>Input: noisy images (B, 1, 28, 28); output: the denoised images, same shape.</summary>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var x = inputs[0];
        var skips = new Tensor[Pools];
        for (var i = 0; i < Pools; i++)
        {
            skips[i] = _down[i].Forward(x);
            x = Functional.AvgPool2d(skips[i], (2, 2));
        }

        x = _bottleneck.Forward(x);
        for (var k = 0; k < Pools; k++)
        {
            var up = _up[k].NormAct(_upTranspose[k].Forward(x));
            x = _up[k].Forward(Tensor.Cat([up, skips[Pools - 1 - k]], 1));
        }

        return _out.Forward(x);
    }
}
