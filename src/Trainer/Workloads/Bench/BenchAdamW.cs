using AlgoPerf.Trainer.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Workloads.Bench;

/// <summary>
/// The step benchmark's AdamW: exactly <c>torch.optim.AdamW</c>'s single-tensor update (betas 0.9/0.999, eps 1e-8,
/// weight decay 0.01 by default): <c>p ← p(1 − lr·wd)</c>; <c>m ← m + (1 − β1)(g − m)</c>;
/// <c>v ← β2v + (1 − β2)g²</c>; <c>p ← p − (lr/(1 − β1ᵗ))·m/(√v/√(1 − β2ᵗ) + eps)</c>. Only the benchmark uses
/// it: the submissions' optimizers live in <c>Optimizers/</c>. State tensors are owned here and released by
/// <see cref="Dispose"/>.
/// </summary>
public sealed class BenchAdamW : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _m;
    private readonly Tensor[] _v;
    private readonly double _lr;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _eps;
    private readonly double _weightDecay;
    private long _step;

    /// <summary>Creates zeroed moment buffers for <paramref name="parameters"/>.</summary>
    public BenchAdamW(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters.ToArray();
        _m = _parameters.Select(p => p.zeros_like().DetachFromDisposeScope()).ToArray();
        _v = _parameters.Select(p => p.zeros_like().DetachFromDisposeScope()).ToArray();
        _lr = lr;
        _beta1 = beta1;
        _beta2 = beta2;
        _eps = eps;
        _weightDecay = weightDecay;
    }

    /// <summary>Drops every gradient (<c>zero_grad(set_to_none=True)</c>).</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters)
        {
            p.grad = null;
        }
    }

    /// <summary>One update from the accumulated gradients; call inside a dispose scope (temporaries belong to it).</summary>
    public void Step()
    {
        _step++;
        var bias1 = 1 - Math.Pow(_beta1, _step);
        var bias2Sqrt = Math.Sqrt(1 - Math.Pow(_beta2, _step));
        var stepSize = _lr / bias1;
        using var noGrad = torch.no_grad();
        for (var i = 0; i < _parameters.Length; i++)
        {
            using var g = _parameters[i].grad;
            if (g is null)
            {
                continue;
            }

            var p = _parameters[i];
            p.mul_(Scalars.Of(1 - (_lr * _weightDecay)));
            _m[i].lerp_(g, 1 - _beta1);
            _v[i].mul_(Scalars.Of(_beta2)).addcmul_(g, g, Scalars.Of(1 - _beta2));
            using var denom = _v[i].sqrt();
            denom.div_(Scalars.Of(bias2Sqrt)).add_(Scalars.Of(_eps), Scalars.One);
            p.addcdiv_(_m[i], denom, Scalars.Of(-stepSize));
        }
    }

    /// <summary>Releases the moment buffers.</summary>
    public void Dispose()
    {
        foreach (var t in _m.Concat(_v))
        {
            t.Dispose();
        }
    }
}
