using AlgoPerf.Trainer.Tensors;
using TorchSharp;
using static TorchSharp.torch;
using AlgoPerf.Trainer.Submissions;

namespace AlgoPerf.Trainer.Optimizers;

/// <summary>
/// Schedule-Free AdamW as the AlgoPerf v0.5 self-tuning winner writes it (<c>AdamWScheduleFree</c>; update rule in
/// <c>docs/trainer.md</c> §5). Between steps the parameters hold x, the averaged iterate evals use. A step is two
/// calls around the gradient: <see cref="MoveToGradientPoint"/> (p ← y = lerp(x, z, 1 − β1)), then the loss and
/// backward at y, then <see cref="Optimizer.Step"/> with the base learning rate, which undoes the interpolation,
/// takes the Adam step on z with the internal linear warmup and moves p to the new x. The second moment has the
/// parameters' dtype (the submission keeps it in bfloat16).
/// </summary>
public sealed class ScheduleFreeAdamW : Optimizer
{
    private readonly Tensor?[] _z;
    private readonly Tensor?[] _x0;
    private readonly Tensor?[] _v;
    private double _ckp1;
    private double _stepSize;

    /// <summary>Creates the optimizer.</summary>
    public ScheduleFreeAdamW(
        IEnumerable<Tensor> parameters,
        double beta1,
        double beta2,
        double weightDecay,
        int warmupSteps,
        double weightLrPower = 2,
        double r = 0,
        double eps = 1e-8)
        : base(parameters)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        Beta1 = beta1;
        Beta2 = beta2;
        WeightDecay = weightDecay;
        WarmupSteps = warmupSteps;
        WeightLrPower = weightLrPower;
        R = r;
        Eps = eps;
        _z = NewSlotCache();
        _x0 = NewSlotCache();
        _v = NewSlotCache();
    }

    /// <summary>The interpolation weight β1 (1 − one_minus_beta1).</summary>
    public double Beta1 { get; }

    /// <summary>Second-moment decay.</summary>
    public double Beta2 { get; }

    /// <summary>Decoupled weight decay, applied to z at y.</summary>
    public double WeightDecay { get; }

    /// <summary>Steps of the internal linear warmup.</summary>
    public int WarmupSteps { get; }

    /// <summary>Exponent of <c>lr_max</c> in the averaging weight.</summary>
    public double WeightLrPower { get; }

    /// <summary>Exponent of <c>k + 1</c> in the averaging weight.</summary>
    public double R { get; }

    /// <summary>Denominator epsilon, also the learning rate's floor.</summary>
    public double Eps { get; }

    /// <summary>Steps since the start or the last <see cref="Reset"/> (k).</summary>
    public long K { get; private set; }

    /// <summary>The largest learning rate used so far.</summary>
    public double LrMax { get; private set; }

    /// <summary>The sum of the averaging weights.</summary>
    public double WeightSum { get; private set; }

    /// <summary>The learning rate of the last step (after warmup and floor), the reference's <c>last_lr</c>.</summary>
    public double LastLr { get; private set; }

    /// <summary>
    /// Moves every parameter to the gradient point y (<c>p ← lerp(p, z, 1 − β1)</c>), creating z and x0 as copies of
    /// the parameters on the first call. Call before the forward pass of each step.
    /// </summary>
    public void MoveToGradientPoint()
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        for (var i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            var z = Slot(_z, i, "z", () => p.clone());
            Slot(_x0, i, "x0", () => p.clone());
            Slot(_v, i, "exp_avg_sq", () => p.zeros_like());
            p.lerp_(z, 1 - Beta1);
        }
    }

    /// <summary>
    /// The submission's reset: k, lr_max and the weight sum to 0, z and the parameters to x0, the second moment to 0.
    /// (The caller halves its base learning rate.)
    /// </summary>
    public void Reset()
    {
        using var noGrad = torch.no_grad();
        K = 0;
        LrMax = 0;
        WeightSum = 0;
        for (var i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            var x0 = Slot(_x0, i, "x0", () => p.clone());
            Slot(_z, i, "z", () => p.clone()).copy_(x0);
            p.copy_(x0);
            Slot(_v, i, "exp_avg_sq", () => p.zeros_like()).zero_();
        }
    }

    /// <inheritdoc/>
    protected override void BeginStep(double lr)
    {
        var sched = K < WarmupSteps ? (K + 1) / (double)WarmupSteps : 1.0;
        var stepLr = Math.Max(lr * sched, Eps);
        LrMax = Math.Max(stepLr, LrMax);
        var weight = Math.Pow(K + 1, R) * Math.Pow(LrMax, WeightLrPower);
        WeightSum += weight;
        _ckp1 = weight / WeightSum;
        _stepSize = stepLr * Math.Sqrt(1 - Math.Pow(Beta2, K + 1));
        LastLr = stepLr;
        K++;
    }

    /// <inheritdoc/>
    protected override void Update(int index, Tensor parameter, Tensor grad, double lr)
    {
        var z = Slot(_z, index, "z", () => parameter.clone());
        var v = Slot(_v, index, "exp_avg_sq", () => parameter.zeros_like());
        parameter.lerp_(z, 1 - (1 / Beta1));
        v.mul_(Scalars.Of(Beta2)).addcmul_(grad, grad, Scalars.Of(1 - Beta2));
        var denom = v.sqrt().add_(Scalars.Of(Eps), Scalars.One);
        z.addcdiv_(grad, denom, -_stepSize);
        z.add_(parameter, Scalars.Of(-(_stepSize * WeightDecay)));
        parameter.lerp_(z, _ckp1);
    }

    /// <inheritdoc/>
    protected override void SaveScalars(List<KeyValuePair<string, double>> scalars)
    {
        ArgumentNullException.ThrowIfNull(scalars);
        scalars.Add(new("k", K));
        scalars.Add(new("lr_max", LrMax));
        scalars.Add(new("weight_sum", WeightSum));
        scalars.Add(new("last_lr", LastLr));
    }

    /// <inheritdoc/>
    protected override void LoadScalars(StateDict state)
    {
        ArgumentNullException.ThrowIfNull(state);
        K = checked((long)state.GetScalar("k"));
        LrMax = state.GetScalar("lr_max");
        WeightSum = state.GetScalar("weight_sum");
        LastLr = state.GetScalar("last_lr");
    }
}
