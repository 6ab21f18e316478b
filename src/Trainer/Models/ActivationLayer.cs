using AlgoPerf.Torch;
using AlgoPerf.Torch.NN;

namespace AlgoPerf.Trainer.Models;

/// <summary>An <see cref="Models.Activation"/> as a parameterless module, so variants swap it without changing parameter names.</summary>
/// <param name="activation">The function applied.</param>
public sealed class ActivationLayer(Activation activation) : Module<Tensor, Tensor>
{
    /// <summary>The function applied.</summary>
    public Activation Activation { get; } = activation;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Apply(Activation, input);

    /// <summary>Applies <paramref name="activation"/> to <paramref name="input"/>.</summary>
    public static Tensor Apply(Activation activation, Tensor input) => activation switch
    {
        Activation.Relu => Functional.Relu(input),
        Activation.Gelu => Functional.Gelu(input),
        Activation.Silu => Functional.Silu(input),
        Activation.Tanh => Functional.Tanh(input),
        Activation.LeakyRelu => Functional.LeakyRelu(input, 0.2),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "unknown activation"),
    };
}
