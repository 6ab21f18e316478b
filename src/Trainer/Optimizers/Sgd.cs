using AlgoPerf.Trainer.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Optimizers;

/// <summary>
/// <c>torch.optim.SGD</c> with momentum as the heavy-ball and Nesterov baselines use it: coupled weight decay
/// (<c>g + wd·p</c>), buffer <c>b = g</c> on the first step and <c>μ·b + g</c> after, direction <c>b</c> or
/// <c>g + μ·b</c> (Nesterov).
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly Tensor?[] _buffers;

    /// <summary>Creates the optimizer.</summary>
    public Sgd(IEnumerable<Tensor> parameters, double momentum, double weightDecay, bool nesterov)
        : base(parameters)
    {
        Momentum = momentum;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        _buffers = NewSlotCache();
    }

    /// <summary>Momentum μ (1 − one_minus_beta1).</summary>
    public double Momentum { get; }

    /// <summary>Coupled L2 weight decay.</summary>
    public double WeightDecay { get; }

    /// <summary>Nesterov momentum.</summary>
    public bool Nesterov { get; }

    private static string Name(int index) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"momentum_buffer.{index}");

    /// <inheritdoc/>
    protected override void Update(int index, Tensor parameter, Tensor grad, double lr)
    {
        var d = WeightDecay != 0 ? grad.add(parameter, Scalars.Of(WeightDecay)) : grad;
        if (Momentum != 0)
        {
            // torch: the buffer is a copy of d when there is none yet, μ·b + d after.
            var buffer = _buffers[index] ??= FindState(Name(index), parameter);
            if (buffer is null)
            {
                buffer = _buffers[index] = ReplaceState(Name(index), d.clone());
            }
            else
            {
                buffer.mul_(Scalars.Of(Momentum)).add_(d, Scalars.One);
            }

            d = Nesterov ? d.add(buffer, Scalars.Of(Momentum)) : buffer;
        }

        parameter.add_(d, Scalars.Of(-lr));
    }
}
