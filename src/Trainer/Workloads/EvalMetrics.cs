using AlgoPerf.Trainer.Tensors;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

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
        return logits.argmax(-1).eq(labels).to(ScalarType.Float32);
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
        using var scope = torch.NewDisposeScope();
        const double points = SsimWindow * SsimWindow;
        const double covNorm = points / (points - 1);
        var ux = Box(prediction);
        var uy = Box(target);
        var uxx = Box(prediction.mul(prediction));
        var uyy = Box(target.mul(target));
        var uxy = Box(prediction.mul(target));
        var vx = uxx.sub(ux.mul(ux)).mul_(Scalars.Of(covNorm));
        var vy = uyy.sub(uy.mul(uy)).mul_(Scalars.Of(covNorm));
        var vxy = uxy.sub(ux.mul(uy)).mul_(Scalars.Of(covNorm));
        var range = target.amax([1, 2, 3], keepdim: true).clamp_min(Scalars.Of(1.0 / 255));
        var c1 = range.mul(Scalars.Of(SsimK1)).pow_(Scalars.Of(2));
        var c2 = range.mul(Scalars.Of(SsimK2)).pow_(Scalars.Of(2));
        var numerator = ux.mul(uy).mul_(Scalars.Of(2)).add_(c1, Scalars.One).mul_(vxy.mul(Scalars.Of(2)).add_(c2, Scalars.One));
        var denominator = ux.square().add_(uy.square(), Scalars.One).add_(c1, Scalars.One).mul_(vx.add(vy, Scalars.One).add_(c2, Scalars.One));
        return numerator.div(denominator).mean([1, 2, 3]).MoveToOuterDisposeScope();
    }

    private static Tensor Box(Tensor x) => functional.avg_pool2d(x, (SsimWindow, SsimWindow), (1, 1));
}
