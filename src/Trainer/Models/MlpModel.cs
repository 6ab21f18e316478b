using AlgoPerf.Torch;
using AlgoPerf.Torch.NN;

namespace AlgoPerf.Trainer.Models;

/// <summary>
/// <c>fmnist_mlp</c>: Flatten, Linear(784, 256), act, Linear(256, 256), act, Linear(256, 10), as the peer's
/// <c>MLP</c> (parameters <c>net.1.*</c>, <c>net.3.*</c>, <c>net.5.*</c>); 269,322 parameters. Dropout, when the
/// call's rate is above 0, follows each hidden activation. The variant <c>fmnist_mlp_gelu</c> uses GELU.
/// </summary>
public sealed class MlpModel : WorkloadModel
{
    private readonly Sequential _net;

    /// <summary>Creates the model, drawing its initial parameters from <paramref name="generator"/>.</summary>
    public MlpModel(Generator generator, Activation activation = Activation.Relu)
    {
        _net = RegisterModule("net", new Sequential(
            new Flatten(),
            new Linear(784, 256, generator: generator),
            new ActivationLayer(activation),
            new Linear(256, 256, generator: generator),
            new ActivationLayer(activation),
            new Linear(256, 10, generator: generator)));
    }

    /// <inheritdoc />
    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var layers = _net.Layers;
        var x = layers[0].Forward(inputs[0]);
        for (var i = 1; i < layers.Count; i++)
        {
            x = layers[i].Forward(x);
            if (layers[i] is ActivationLayer)
            {
                x = Dropout(x);
            }
        }

        return x;
    }
}
