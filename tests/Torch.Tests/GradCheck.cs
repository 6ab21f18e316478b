namespace AlgoPerf.Torch.Tests;

using TorchTensor = AlgoPerf.Torch.Tensor;

/// <summary>
/// Compares autograd's gradient of <c>sum(f(x) * w)</c> with central finite differences in float64
/// (<c>torch.autograd.gradcheck</c> in miniature), for a fixed random weighting <c>w</c>.
/// </summary>
internal static class GradCheck
{
    public static void Assert(Func<TorchTensor, TorchTensor> f, double[] input, long[] shape, double eps = 1e-6, double tolerance = 1e-5)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var gen = new Generator(1234);
        var x = TorchTensor.FromArray(input, shape).RequiresGrad_();
        var y = f(x);
        var w = TorchTensor.Randn(y.Shape, gen, ScalarType.Float64);
        y.Mul(w).Sum().Backward();
        var analytic = x.Grad!.ToArray<double>();

        var numeric = new double[input.Length];
        using (TorchRuntime.NoGrad())
        {
            for (var i = 0; i < input.Length; i++)
            {
                var plus = (double[])input.Clone();
                plus[i] += eps;
                var minus = (double[])input.Clone();
                minus[i] -= eps;
                var fp = f(TorchTensor.FromArray(plus, shape)).Mul(w).Sum().ToDouble();
                var fm = f(TorchTensor.FromArray(minus, shape)).Mul(w).Sum().ToDouble();
                numeric[i] = (fp - fm) / (2 * eps);
            }
        }

        for (var i = 0; i < input.Length; i++)
        {
            var scale = Math.Max(1, Math.Abs(numeric[i]));
            Xunit.Assert.True(
                Math.Abs(analytic[i] - numeric[i]) <= tolerance * scale,
                $"gradient element {i}: autograd {analytic[i]}, finite difference {numeric[i]}");
        }
    }

    /// <summary>Deterministic, well-conditioned test inputs in [-1.5, 1.5] away from 0 (kinks of abs/relu).</summary>
    public static double[] Inputs(int n, int seed = 7)
    {
        var rng = new Random(seed);
        var result = new double[n];
        for (var i = 0; i < n; i++)
        {
            var v = 0.2 + (rng.NextDouble() * 1.3);
            result[i] = rng.Next(2) == 0 ? v : -v;
        }

        return result;
    }
}
