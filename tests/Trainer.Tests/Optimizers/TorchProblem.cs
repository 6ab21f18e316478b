using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Tests.Optimizers;

/// <summary>The reference trajectories' problem on our libtorch binding: a 2-layer tanh MLP in float64.</summary>
internal sealed class TorchProblem : IDisposable
{
    private readonly ReferenceTrajectories _ref;
    private readonly Tensor _x;
    private readonly Tensor _y;

    public TorchProblem(ReferenceTrajectories reference)
    {
        _ref = reference;
        _x = Matrix(reference.Inputs);
        _y = Matrix(reference.Targets);
        Parameters = reference.ParamNames
            .Select(name => torch.tensor(reference.InitialParams[name].ToArray(), [.. reference.ParamShapes[name].Select(d => (long)d)]).DetachFromDisposeScope().requires_grad_())
            .ToArray();
    }

    /// <summary>W1, b1, W2, b2.</summary>
    public Tensor[] Parameters { get; }

    /// <summary>Computes the loss and accumulates gradients into the parameters; returns the loss.</summary>
    public double LossAndBackward()
    {
        using var scope = torch.NewDisposeScope();
        var (w1, b1, w2, b2) = (Parameters[0], Parameters[1], Parameters[2], Parameters[3]);
        var pred = (_x.matmul(w1.t()) + b1).tanh().matmul(w2.t()) + b2;
        var loss = (pred - _y).pow(2).sum() / (2 * _ref.Inputs.Length);
        loss.backward();
        return loss.ToDouble();
    }

    public Dictionary<string, double[]> Values() => Snapshot(p => p);

    public Dictionary<string, double[]> Grads() => Snapshot(p => p.grad ?? throw new InvalidOperationException("no gradient"));

    public void Dispose()
    {
        foreach (var p in Parameters)
        {
            p.Dispose();
        }

        _x.Dispose();
        _y.Dispose();
    }

    private Dictionary<string, double[]> Snapshot(Func<Tensor, Tensor> select)
    {
        using var scope = torch.NewDisposeScope();
        return _ref.ParamNames.Select((name, i) => (name, values: select(Parameters[i]).detach().ToArray<double>()))
            .ToDictionary(p => p.name, p => p.values);
    }

    private static Tensor Matrix(double[][] rows) =>
        torch.tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]).DetachFromDisposeScope();

    /// <summary>Asserts every value within 1e-6 relative (absolute 1e-12 near zero) of the reference.</summary>
    public static void AssertClose(Dictionary<string, double[]> expected, Dictionary<string, double[]> actual, string what)
    {
        foreach (var (name, e) in expected)
        {
            var a = actual[name];
            Assert.Equal(e.Length, a.Length);
            for (var i = 0; i < e.Length; i++)
            {
                var tolerance = Math.Max(1e-6 * Math.Abs(e[i]), 1e-12);
                Assert.True(Math.Abs(a[i] - e[i]) <= tolerance, $"{what}: {name}[{i}] = {a[i]:R}, reference {e[i]:R}");
            }
        }
    }
}
