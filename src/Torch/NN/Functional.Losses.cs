using AlgoPerf.Torch.PInvoke;

namespace AlgoPerf.Torch.NN;

public static partial class Functional
{
    /// <summary>
    /// Cross-entropy of (N, C, ...) logits against class indices (int64) or class probabilities, with label
    /// smoothing and an ignored class index (<c>F.cross_entropy</c>).
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor target, Reduction reduction = Reduction.Mean, double labelSmoothing = 0,
        long ignoreIndex = -100, Tensor? weight = null)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(target);
        var status = NativeMethods.ats_nn_cross_entropy(logits.Handle, target.Handle, Tensor.HandleOf(weight), (long)reduction, ignoreIndex, labelSmoothing, out var h);
        return Tensor.FromHandle(status, h, nameof(NativeMethods.ats_nn_cross_entropy));
    }

    /// <summary>Negative log-likelihood of log-probabilities against class indices (<c>F.nll_loss</c>).</summary>
    public static Tensor NllLoss(Tensor logProbs, Tensor target, Reduction reduction = Reduction.Mean, long ignoreIndex = -100, Tensor? weight = null)
    {
        ArgumentNullException.ThrowIfNull(logProbs);
        ArgumentNullException.ThrowIfNull(target);
        var status = NativeMethods.ats_nn_nll_loss(logProbs.Handle, target.Handle, Tensor.HandleOf(weight), (long)reduction, ignoreIndex, out var h);
        return Tensor.FromHandle(status, h, nameof(NativeMethods.ats_nn_nll_loss));
    }

    /// <summary>Sigmoid + binary cross-entropy in one stable step (<c>F.binary_cross_entropy_with_logits</c>).</summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor target, Reduction reduction = Reduction.Mean,
        Tensor? weight = null, Tensor? posWeight = null)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(target);
        var status = NativeMethods.ats_nn_bce_with_logits(logits.Handle, target.Handle, Tensor.HandleOf(weight), Tensor.HandleOf(posWeight), (long)reduction, out var h);
        return Tensor.FromHandle(status, h, nameof(NativeMethods.ats_nn_bce_with_logits));
    }

    /// <summary>Mean squared error.</summary>
    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) => Regression(0, input, target, reduction, 0);

    /// <summary>Mean absolute error.</summary>
    public static Tensor L1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) => Regression(1, input, target, reduction, 0);

    /// <summary>Smooth L1 loss with threshold <paramref name="beta"/>.</summary>
    public static Tensor SmoothL1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double beta = 1) => Regression(2, input, target, reduction, beta);

    private static Tensor Regression(int kind, Tensor input, Tensor target, Reduction reduction, double beta)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        var status = NativeMethods.ats_nn_regression_loss(kind, input.Handle, target.Handle, (long)reduction, beta, out var h);
        return Tensor.FromHandle(status, h, nameof(NativeMethods.ats_nn_regression_loss));
    }
}
