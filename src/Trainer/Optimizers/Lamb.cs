using AlgoPerf.Trainer.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Optimizers;

/// <summary>
/// LAMB as the archived AlgoPerf baseline writes it: Adam direction with bias corrections plus <c>wd·p</c>, scaled
/// per parameter tensor by the trust ratio <c>‖p‖/‖u‖</c> (1 when either norm is 0).
/// </summary>
public sealed class Lamb : Optimizer
{
    private readonly Tensor?[] _m;
    private readonly Tensor?[] _v;

    /// <summary>Creates the optimizer.</summary>
    public Lamb(IEnumerable<Tensor> parameters, double beta1, double beta2, double weightDecay, double eps = 1e-8)
        : base(parameters)
    {
        Beta1 = beta1;
        Beta2 = beta2;
        WeightDecay = weightDecay;
        Eps = eps;
        _m = NewSlotCache();
        _v = NewSlotCache();
    }

    /// <summary>First-moment decay.</summary>
    public double Beta1 { get; }

    /// <summary>Second-moment decay.</summary>
    public double Beta2 { get; }

    /// <summary>Weight decay added to the direction.</summary>
    public double WeightDecay { get; }

    /// <summary>Denominator epsilon.</summary>
    public double Eps { get; }

    /// <inheritdoc/>
    protected override void Update(int index, Tensor parameter, Tensor grad, double lr)
    {
        var m = Slot(_m, index, "exp_avg", () => parameter.zeros_like());
        var v = Slot(_v, index, "exp_avg_sq", () => parameter.zeros_like());
        var t = (double)StepCount;
        m.mul_(Scalars.Of(Beta1)).add_(grad, Scalars.Of(1 - Beta1));
        v.mul_(Scalars.Of(Beta2)).addcmul_(grad, grad, Scalars.Of(1 - Beta2));
        var biasCorrection1 = 1 - Math.Pow(Beta1, t);
        var biasCorrection2 = 1 - Math.Pow(Beta2, t);
        var denom = v.sqrt().div(Scalars.Of(Math.Sqrt(biasCorrection2))).add_(Scalars.Of(Eps), Scalars.One);
        var update = m.div(denom).div_(Scalars.Of(biasCorrection1));
        update.add_(parameter.mul(Scalars.Of(WeightDecay)), Scalars.One);
        var parameterNorm = parameter.norm().ToDouble();
        var updateNorm = update.norm().ToDouble();
        var trustRatio = parameterNorm == 0 || updateNorm == 0 ? 1.0 : parameterNorm / updateNorm;
        parameter.add_(update, Scalars.Of(-lr * trustRatio));
    }
}
