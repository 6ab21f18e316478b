using TorchSharp;
using static TorchSharp.torch;
using AlgoPerf.Trainer.Workloads;

namespace AlgoPerf.Trainer.Tests.Workloads;

[Collection("Torch")]
public sealed class EvalMetricsTests
{
    [Fact]
    public void Ssim_IdenticalImages_One()
    {
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(1);
        var x = torch.rand([3, 1, 12, 12], generator: g);

        Assert.All(EvalMetrics.Ssim(x, x).ToArray<float>(), v => Assert.Equal(1, v, 1e-5));
    }

    [Fact]
    public void Ssim_NoisyImages_MatchesDirectDefinition()
    {
        using var scope = torch.NewDisposeScope();
        const int h = 10, w = 9;
        var target = new double[2 * h * w];
        var prediction = new double[target.Length];
        for (var i = 0; i < target.Length; i++)
        {
            target[i] = (Math.Sin(0.3 * i) + 1) / 2 * (i < h * w ? 1 : 0.5);
            prediction[i] = target[i] + (0.2 * Math.Cos(1.7 * i));
        }

        var ssim = EvalMetrics.Ssim(torch.tensor(prediction, [2, 1, h, w]), torch.tensor(target, [2, 1, h, w])).ToArray<double>();

        Assert.Equal(Reference(prediction.AsSpan(0, h * w), target.AsSpan(0, h * w), h, w), ssim[0], 1e-10);
        Assert.Equal(Reference(prediction.AsSpan(h * w), target.AsSpan(h * w), h, w), ssim[1], 1e-10);
        Assert.True(ssim[0] is > 0 and < 1);
    }

    [Fact]
    public void Correct_ArgMaxAgainstLabels_OnesAndZeros()
    {
        using var scope = torch.NewDisposeScope();
        var logits = torch.tensor(new float[] { 0.1f, 0.9f, 0.0f, 2.0f, -1.0f, 0.5f }, [2, 3]);

        Assert.Equal([1f, 0f], EvalMetrics.Correct(logits, torch.tensor(new long[] { 1, 2 }, [2])).ToArray<float>());
    }

    /// <summary>
    /// scikit-image's <c>structural_similarity</c> (uniform 7×7 window, sample covariances, K1 0.01, K2 0.03,
    /// data_range = max of the target), averaged over the window positions inside the image, written out per window.
    /// </summary>
    private static double Reference(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int h, int w)
    {
        const int k = 7;
        const double n = k * k;
        var range = 0.0;
        foreach (var v in y)
        {
            range = Math.Max(range, v);
        }

        double c1 = Math.Pow(0.01 * range, 2), c2 = Math.Pow(0.03 * range, 2);
        var total = 0.0;
        var count = 0;
        for (var r = 0; r + k <= h; r++)
        {
            for (var c = 0; c + k <= w; c++)
            {
                double sx = 0, sy = 0;
                for (var i = 0; i < k; i++)
                {
                    for (var j = 0; j < k; j++)
                    {
                        sx += x[((r + i) * w) + c + j];
                        sy += y[((r + i) * w) + c + j];
                    }
                }

                double mx = sx / n, my = sy / n, vx = 0, vy = 0, cov = 0;
                for (var i = 0; i < k; i++)
                {
                    for (var j = 0; j < k; j++)
                    {
                        var dx = x[((r + i) * w) + c + j] - mx;
                        var dy = y[((r + i) * w) + c + j] - my;
                        vx += dx * dx;
                        vy += dy * dy;
                        cov += dx * dy;
                    }
                }

                vx /= n - 1;
                vy /= n - 1;
                cov /= n - 1;
                total += ((2 * mx * my) + c1) * ((2 * cov) + c2) / (((mx * mx) + (my * my) + c1) * (vx + vy + c2));
                count++;
            }
        }

        return total / count;
    }
}
