using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Models;

/// <summary>
/// <c>fmnist_mlp</c>: Flatten, Linear(784, 256), act, Linear(256, 256), act, Linear(256, 10), as the peer's
/// <c>MLP</c> (parameters <c>net.1.*</c>, <c>net.3.*</c>, <c>net.5.*</c>); 269,322 parameters. Dropout, when the
/// call's rate is above 0, follows each hidden activation. The variant <c>fmnist_mlp_gelu</c> uses GELU.
/// </summary>
public sealed class MlpModel : WorkloadModel
{
    private readonly nn.Module<Tensor, Tensor>[] _layers;

    /// <summary>Creates the model, drawing its initial parameters from <paramref name="generator"/>.</summary>
    public MlpModel(Generator generator, Activation activation = Activation.Relu)
        : base(nameof(MlpModel))
    {
        _layers =
        [
            nn.Flatten(),
            Layers.Linear(784, 256, generator),
            new ActivationLayer(activation),
            Layers.Linear(256, 256, generator),
            new ActivationLayer(activation),
            Layers.Linear(256, 10, generator),
        ];
        register_module("net", nn.Sequential(_layers));
    }

    /// <inheritdoc />
    public override Tensor forward(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var x = _layers[0].forward(inputs[0]);
        for (var i = 1; i < _layers.Length; i++)
        {
            x = _layers[i].forward(x);
            if (_layers[i] is ActivationLayer)
            {
                x = Dropout(x);
            }
        }

        return x;
    }
}
