using AlgoPerf.Trainer.Tensors;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Optimizers;

/// <summary>
/// A small blocked Shampoo with grafting, defined in <c>docs/trainer.md</c> §5 (and, identically, in
/// <c>scripts/reference_trajectories.py</c>): per block of at most <see cref="MaxPreconditionerDim"/> per dimension,
/// EMA Gram factors per dimension, inverse roots <c>A^(−1/2k)</c> by eigendecomposition every
/// <see cref="PreconditionFrequency"/> steps, the preconditioned block scaled to the grafted direction's norm from
/// <see cref="StartPreconditioningStep"/> on, bias-corrected momentum, decoupled weight decay.
/// A parameter of rank above 2 is treated as the matrix of its first dimension by the rest (as Distributed Shampoo
/// merges dimensions); a scalar as a vector of one.
/// </summary>
public sealed class BlockedShampoo : Optimizer
{
    private readonly List<Block>?[] _blocks;
    private readonly Tensor?[] _momentum;

    /// <summary>Creates the optimizer.</summary>
    public BlockedShampoo(
        IEnumerable<Tensor> parameters,
        double beta1,
        double beta2,
        double weightDecay,
        int maxPreconditionerDim,
        int preconditionFrequency,
        int startPreconditioningStep,
        ShampooGrafting grafting,
        double matrixEps = 1e-6,
        double graftEps = 1e-8)
        : base(parameters)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPreconditionerDim);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(preconditionFrequency);
        Beta1 = beta1;
        Beta2 = beta2;
        WeightDecay = weightDecay;
        MaxPreconditionerDim = maxPreconditionerDim;
        PreconditionFrequency = preconditionFrequency;
        StartPreconditioningStep = startPreconditioningStep;
        Grafting = grafting;
        MatrixEps = matrixEps;
        GraftEps = graftEps;
        _blocks = new List<Block>?[Parameters.Count];
        _momentum = NewSlotCache();
    }

    /// <summary>Momentum decay.</summary>
    public double Beta1 { get; }

    /// <summary>Decay of the factor matrices and the Adam grafting state.</summary>
    public double Beta2 { get; }

    /// <summary>Decoupled weight decay.</summary>
    public double WeightDecay { get; }

    /// <summary>Largest block side.</summary>
    public int MaxPreconditionerDim { get; }

    /// <summary>Steps between inverse-root recomputations (at t = 1, 1 + F, …).</summary>
    public int PreconditionFrequency { get; }

    /// <summary>First step that uses the preconditioned direction; grafting alone before.</summary>
    public int StartPreconditioningStep { get; }

    /// <summary>Grafting type.</summary>
    public ShampooGrafting Grafting { get; }

    /// <summary>Added to the (non-negative-clamped) eigenvalues before the inverse root.</summary>
    public double MatrixEps { get; }

    /// <summary>Adam grafting's epsilon.</summary>
    public double GraftEps { get; }

    /// <inheritdoc/>
    protected override void Update(int index, Tensor parameter, Tensor grad, double lr)
    {
        var t = StepCount;
        var fullParameter = parameter;
        (parameter, grad) = (AsMatrixOrVector(parameter, view: true), AsMatrixOrVector(grad, view: false));
        var blocks = _blocks[index] ??= CreateBlocks(index, parameter);
        var direction = parameter.zeros_like();
        foreach (var block in blocks)
        {
            var g = block.View(grad);
            var rank = checked((int)g.ndim);
            if (rank == 2)
            {
                block.Factors[0].mul_(Scalars.Of(Beta2)).add_(g.matmul(g.t()), Scalars.Of(1 - Beta2));
                block.Factors[1].mul_(Scalars.Of(Beta2)).add_(g.t().matmul(g), Scalars.Of(1 - Beta2));
            }
            else
            {
                block.Factors[0].mul_(Scalars.Of(Beta2)).add_(g.outer(g), Scalars.Of(1 - Beta2));
            }

            Tensor graft;
            if (Grafting == ShampooGrafting.Adam)
            {
                block.GraftState!.mul_(Scalars.Of(Beta2)).addcmul_(g, g, Scalars.Of(1 - Beta2));
                graft = g.div(block.GraftState.div(Scalars.Of(1 - Math.Pow(Beta2, t))).sqrt().add(Scalars.Of(GraftEps), Scalars.One));
            }
            else
            {
                graft = g.clone();
            }

            if ((t - 1) % PreconditionFrequency == 0)
            {
                for (var f = 0; f < block.Factors.Length; f++)
                {
                    block.Roots[f] = ReplaceState(block.RootNames[f], InverseRoot(block.Factors[f], 2 * rank));
                }
            }

            Tensor d;
            if (t >= StartPreconditioningStep)
            {
                var preconditioned = rank == 2 ? block.Roots[0]!.matmul(g).matmul(block.Roots[1]!) : block.Roots[0]!.matmul(g);
                var norm = preconditioned.norm();
                d = norm.ToDouble() > 0 ? preconditioned.mul(graft.norm().div(norm)) : preconditioned.zeros_like();
            }
            else
            {
                d = graft;
            }

            block.View(direction).copy_(d);
        }

        var m = Slot(_momentum, index, "exp_avg", () => fullParameter.zeros_like());
        m.mul_(Scalars.Of(Beta1)).add_(direction.view(fullParameter.shape), Scalars.Of(1 - Beta1));
        var u = m.div(Scalars.Of(1 - Math.Pow(Beta1, t)));
        fullParameter.mul_(Scalars.Of(1 - (lr * WeightDecay)));
        fullParameter.add_(u, Scalars.Of(-lr));
    }

    /// <inheritdoc/>
    protected override void OnStateLoaded() => Array.Clear(_blocks);

    // The parameter is updated through this view (so it must be one); the gradient is only read (reshape copies a
    // non-contiguous one).
    private static Tensor AsMatrixOrVector(Tensor t, bool view) => t.ndim switch
    {
        0 => view ? t.view([1]) : t.reshape([1]),
        > 2 => view ? t.view([t.size(0), -1]) : t.reshape([t.size(0), -1]),
        _ => t,
    };

    private Tensor InverseRoot(Tensor matrix, int root)
    {
        var (eigenvalues, eigenvectors) = torch.linalg.eigh(matrix);
        var scaled = eigenvalues.clamp_min(Scalars.Of(0.0)).add(Scalars.Of(MatrixEps), Scalars.One).pow(Scalars.Of(-1.0 / root));
        return eigenvectors.matmul(scaled.diag()).matmul(eigenvectors.t());
    }

    private List<Block> CreateBlocks(int index, Tensor parameter)
    {
        var shape = parameter.shape;
        var ranges = shape.Select(size => Chunks(size, MaxPreconditionerDim).ToArray()).ToArray();
        var blocks = new List<Block>();
        foreach (var r0 in ranges[0])
        {
            foreach (var r1 in shape.Length == 2 ? ranges[1].Select(r => (Range?)r) : [null])
            {
                var prefix = string.Create(CultureInfo.InvariantCulture, $"shampoo.{index}.{blocks.Count}");
                var sides = r1 is { } c ? new[] { r0.Length, c.Length } : [r0.Length];
                var factors = sides.Select((s, f) => GetOrCreateState(
                    string.Create(CultureInfo.InvariantCulture, $"{prefix}.factor{f}"),
                    () => torch.zeros([s, s], parameter.dtype, parameter.device))).ToArray();
                var rootNames = sides.Select((_, f) => string.Create(CultureInfo.InvariantCulture, $"{prefix}.root{f}")).ToArray();
                var roots = rootNames.Select(n => FindState(n, parameter)).ToArray();
                var graftState = Grafting == ShampooGrafting.Adam
                    ? GetOrCreateState(prefix + ".graft", () => torch.zeros(sides, parameter.dtype, parameter.device))
                    : null;
                blocks.Add(new Block(r0, r1, factors, roots, rootNames, graftState));
            }
        }

        return blocks;
    }

    private static IEnumerable<Range> Chunks(long size, int chunk)
    {
        for (long start = 0; start < size; start += chunk)
        {
            yield return new Range(start, Math.Min(chunk, size - start));
        }
    }

    private readonly record struct Range(long Start, long Length);

    private sealed record Block(Range Rows, Range? Cols, Tensor[] Factors, Tensor?[] Roots, string[] RootNames, Tensor? GraftState)
    {
        public Tensor View(Tensor full)
        {
            var rows = full.narrow(0, Rows.Start, Rows.Length);
            return Cols is { } c ? rows.narrow(1, c.Start, c.Length) : rows;
        }
    }
}
