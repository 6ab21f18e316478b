using AlgoPerf.Trainer.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Optimizers;

/// <summary>
/// <c>torch.optim.AdamW</c>, or with <c>nesterov</c> the AlgoPerf baseline's NAdamW
/// (<c>pytorch_nadamw_full_budget.py</c>): decoupled weight decay, bias-corrected moments; NAdamW's numerator is
/// <c>β1·m + (1−β1)·g</c> with the updated m.
/// </summary>
public sealed class AdamW : Optimizer
{
    private readonly Tensor?[] _m;
    private readonly Tensor?[] _v;

    /// <summary>Creates the optimizer.</summary>
    public AdamW(IEnumerable<Tensor> parameters, double beta1, double beta2, double weightDecay, double eps = 1e-8, bool nesterov = false)
        : base(parameters)
    {
        Beta1 = beta1;
        Beta2 = beta2;
        WeightDecay = weightDecay;
        Eps = eps;
        Nesterov = nesterov;
        _m = NewSlotCache();
        _v = NewSlotCache();
    }

    /// <summary>First-moment decay.</summary>
    public double Beta1 { get; }

    /// <summary>Second-moment decay.</summary>
    public double Beta2 { get; }

    /// <summary>Decoupled weight decay (multiplied by the learning rate).</summary>
    public double WeightDecay { get; }

    /// <summary>Denominator epsilon.</summary>
    public double Eps { get; }

    /// <summary>NAdamW's look-ahead numerator.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    protected override void Update(int index, Tensor parameter, Tensor grad, double lr)
    {
        var m = Slot(_m, index, "exp_avg", () => parameter.zeros_like());
        var v = Slot(_v, index, "exp_avg_sq", () => parameter.zeros_like());
        var t = (double)StepCount;
        parameter.mul_(Scalars.Of(1 - (lr * WeightDecay)));
        m.mul_(Scalars.Of(Beta1)).add_(grad, Scalars.Of(1 - Beta1));
        v.mul_(Scalars.Of(Beta2)).addcmul_(grad, grad, Scalars.Of(1 - Beta2));
        var biasCorrection1 = 1 - Math.Pow(Beta1, t);
        var biasCorrection2 = 1 - Math.Pow(Beta2, t);
        var stepSize = lr / biasCorrection1;
        var denom = v.sqrt().div(Scalars.Of(Math.Sqrt(biasCorrection2))).add_(Scalars.Of(Eps), Scalars.One);
        if (Nesterov)
        {
            // The reference updates m in place, uses it, and undoes it; a temporary gives the same numerator.
            var numerator = m.mul(Scalars.Of(Beta1)).add_(grad, Scalars.Of(1 - Beta1));
            parameter.addcdiv_(numerator, denom, Scalars.Of(-stepSize));
        }
        else
        {
            parameter.addcdiv_(m, denom, Scalars.Of(-stepSize));
        }
    }
}
