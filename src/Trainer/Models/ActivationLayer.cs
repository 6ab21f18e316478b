using AlgoPerf.Trainer.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Models;

/// <summary>An activation as a layer (no parameters), so that it can sit in a <c>Sequential</c> as in the peer.</summary>
public sealed class ActivationLayer(Activation activation) : nn.Module<Tensor, Tensor>(nameof(ActivationLayer))
{
    /// <summary>The activation.</summary>
    public Activation Activation { get; } = activation;

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => Apply(Activation, input);

    /// <summary>Applies <paramref name="activation"/> (leaky ReLU with slope 0.2, as the peer's U-Net).</summary>
    public static Tensor Apply(Activation activation, Tensor input) => activation switch
    {
        Activation.Relu => nn.functional.relu(input),
        Activation.Gelu => nn.functional.gelu(input),
        Activation.Silu => nn.functional.silu(input),
        Activation.Tanh => input.tanh(),
        Activation.LeakyRelu => input.leaky_relu(Scalars.Of(0.2)),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "unknown activation"),
    };
}
