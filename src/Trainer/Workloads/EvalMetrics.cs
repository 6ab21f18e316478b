using AlgoPerf.Torch;
using AlgoPerf.Torch.NN;

namespace AlgoPerf.Trainer.Workloads;

/// <summary>
/// Per-example eval metrics on tensors (the losses come from each workload's <c>loss_fn</c>): accuracy and SSIM.
/// </summary>
public static class EvalMetrics
{
    /// <summary>SSIM window side (fastMRI / scikit-image default).</summary>
    public const int SsimWindow = 7;

    /// <summary>SSIM's luminance constant factor.</summary>
    public const double SsimK1 = 0.01;

    /// <summary>SSIM's contrast constant factor.</summary>
    public const double SsimK2 = 0.03;

    /// <summary>1 where the arg-max class of <paramref name="logits"/> (N, C) equals <paramref name="labels"/> (N), else 0 (float32).</summary>
    public static Tensor Correct(Tensor logits, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        return logits.ArgMax(-1).Eq(labels).To(ScalarType.Float32);
    }

    /// <summary>
    /// The structural similarity of each image pair (N, 1, H, W) → (N), as AlgoPerf's fastMRI workload computes it
    /// (scikit-image's <c>structural_similarity</c> with its defaults): a 7×7 uniform window, K1 = 0.01, K2 = 0.03,
    /// sample covariances (× 49/48), the data range = the target image's maximum (fastMRI passes the volume's
    /// maximum; floored at 1/255 so a blank image stays finite), and the mean of the SSIM map over the positions
    /// whose window lies inside the image (scikit-image crops (7 − 1)/2 = 3 pixels per border after filtering, so
    /// the border padding never reaches the mean: a valid 7×7 box filter is exactly equivalent).
    /// </summary>
    public static Tensor Ssim(Tensor prediction, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        using var scope = TorchRuntime.NewDisposeScope();
        const double points = SsimWindow * SsimWindow;
        const double covNorm = points / (points - 1);
        var ux = Box(prediction);
        var uy = Box(target);
        var uxx = Box(prediction.Mul(prediction));
        var uyy = Box(target.Mul(target));
        var uxy = Box(prediction.Mul(target));
        var vx = uxx.Sub(ux.Mul(ux)).Mul_(covNorm);
        var vy = uyy.Sub(uy.Mul(uy)).Mul_(covNorm);
        var vxy = uxy.Sub(ux.Mul(uy)).Mul_(covNorm);
        var range = target.Amax([1, 2, 3], keepDim: true).ClampMin(1.0 / 255);
        var c1 = range.Mul(SsimK1).Square_();
        var c2 = range.Mul(SsimK2).Square_();
        var numerator = ux.Mul(uy).Mul_(2).Add_(c1).Mul_(vxy.Mul(2).Add_(c2));
        var denominator = ux.Square().Add_(uy.Square()).Add_(c1).Mul_(vx.Add(vy).Add_(c2));
        return numerator.Div(denominator).Mean([1, 2, 3]).MoveToOuterScope();
    }

    private static Tensor Box(Tensor x) => Functional.AvgPool2d(x, (SsimWindow, SsimWindow), (1, 1));
}
