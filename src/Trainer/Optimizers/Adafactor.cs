using AlgoPerf.Trainer.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Optimizers;

/// <summary>
/// Adafactor as the archived AlgoPerf baseline writes it (adapted from HF transformers): β2 = 0.99 with the
/// <c>β2(1 − β2^(t−1))/(1 − β2^t)</c> correction, factored second moments for tensors of rank ≥ 2 (last two dims),
/// update clipped to RMS 1, momentum on the scaled update, weight decay <c>lr·wd·p</c>.
/// </summary>
/// <remarks>The reference maps ±inf to NaN inside the update; here non-finite values stay as they are, which ends the
/// trial as diverged all the same.</remarks>
public sealed class Adafactor : Optimizer
{
    private const double Epsilon1 = 1e-30;
    private const double ClipThreshold = 1.0;

    private readonly Tensor?[] _momentum;
    private readonly Tensor?[] _row;
    private readonly Tensor?[] _col;
    private readonly Tensor?[] _full;

    /// <summary>Creates the optimizer.</summary>
    public Adafactor(IEnumerable<Tensor> parameters, double beta1, double weightDecay, double decayAdam = 0.99)
        : base(parameters)
    {
        Beta1 = beta1;
        WeightDecay = weightDecay;
        DecayAdam = decayAdam;
        _momentum = NewSlotCache();
        _row = NewSlotCache();
        _col = NewSlotCache();
        _full = NewSlotCache();
    }

    /// <summary>Momentum of the scaled update (1 − one_minus_beta1).</summary>
    public double Beta1 { get; }

    /// <summary>Weight decay (times the learning rate).</summary>
    public double WeightDecay { get; }

    /// <summary>The second-moment decay (<c>decay_adam</c>).</summary>
    public double DecayAdam { get; }

    /// <inheritdoc/>
    protected override void Update(int index, Tensor parameter, Tensor grad, double lr)
    {
        var t = (double)StepCount;
        var beta2t = DecayAdam * (1.0 - Math.Pow(DecayAdam, t - 1.0)) / (1.0 - Math.Pow(DecayAdam, t));
        var sqUpdate = grad.pow(Scalars.Of(2)).add(Scalars.Of(Epsilon1), Scalars.One);
        Tensor denom;
        if (parameter.ndim >= 2)
        {
            var shape = grad.shape;
            var row = Slot(_row, index, "exp_avg_sq_row", () => torch.zeros(shape[..^1], grad.dtype, grad.device));
            var col = Slot(_col, index, "exp_avg_sq_col", () => torch.zeros([.. shape[..^2], shape[^1]], grad.dtype, grad.device));
            row.mul_(Scalars.Of(beta2t)).add_(sqUpdate.mean([-1]), Scalars.Of(1.0 - beta2t));
            col.mul_(Scalars.Of(beta2t)).add_(sqUpdate.mean([-2]), Scalars.Of(1.0 - beta2t));
            var rFactor = row.div(row.mean([-1], keepdim: true)).unsqueeze(-1);
            var cFactor = col.unsqueeze(-2);
            denom = rFactor.mul(cFactor);
        }
        else
        {
            var full = Slot(_full, index, "exp_avg_sq", () => grad.zeros_like());
            full.mul_(Scalars.Of(beta2t)).add_(sqUpdate, Scalars.Of(1.0 - beta2t));
            denom = full;
        }

        var update = grad.div(denom.sqrt());
        var clippingDenom = Math.Max(update.square().mean().sqrt().ToDouble() / ClipThreshold, 1.0);
        update = update.div(Scalars.Of(clippingDenom)).mul(Scalars.Of(lr));
        var momentum = Slot(_momentum, index, "exp_avg", () => grad.zeros_like());
        momentum.mul_(Scalars.Of(Beta1)).add_(update, Scalars.Of(1 - Beta1));
        if (WeightDecay != 0)
        {
            parameter.add_(parameter, Scalars.Of(-WeightDecay * lr));
        }

        parameter.sub_(momentum);
    }
}
