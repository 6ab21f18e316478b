using AlgoPerf.Trainer.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Optimizers;

/// <summary><c>torch.nn.utils.clip_grad_norm_</c> as the baselines call it when a <c>grad_clip</c> hyperparameter is set.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales all gradients by <c>min(1, max_norm / (‖g‖ + 1e-6))</c>, ‖g‖ the 2-norm of the per-parameter 2-norms;
    /// returns ‖g‖ before clipping.
    /// </summary>
    public static double ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var grads = parameters.Select(p => p.grad).OfType<Tensor>().ToList();
        if (grads.Count == 0)
        {
            return 0;
        }

        var total = torch.stack(grads.Select(g => g.norm()).ToList()).norm();
        using var maxNormTensor = torch.tensor(maxNorm, dtype: total.dtype, device: total.device);
        var coefficient = maxNormTensor.div(total.add(Scalars.Of(1e-6), Scalars.One)).clamp_max(Scalars.Of(1.0));
        foreach (var g in grads)
        {
            g.mul_(coefficient);
        }

        return total.ToDouble();
    }
}
