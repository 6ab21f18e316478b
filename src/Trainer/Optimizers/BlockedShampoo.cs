using System.Globalization;
using AlgoPerf.Torch;
using AlgoPerf.Torch.LinearAlgebra;

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
        var direction = parameter.ZerosLike();
        foreach (var block in blocks)
        {
            var g = block.View(grad);
            var rank = checked((int)g.Dim);
            if (rank == 2)
            {
                block.Factors[0].Mul_(Beta2).Add_(g.MatMul(g.T()), 1 - Beta2);
                block.Factors[1].Mul_(Beta2).Add_(g.T().MatMul(g), 1 - Beta2);
            }
            else
            {
                block.Factors[0].Mul_(Beta2).Add_(g.Outer(g), 1 - Beta2);
            }

            Tensor graft;
            if (Grafting == ShampooGrafting.Adam)
            {
                block.GraftState!.Mul_(Beta2).Addcmul_(g, g, 1 - Beta2);
                graft = g.Div(block.GraftState.Div(1 - Math.Pow(Beta2, t)).Sqrt().Add(GraftEps));
            }
            else
            {
                graft = g.Clone();
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
                var preconditioned = rank == 2 ? block.Roots[0]!.MatMul(g).MatMul(block.Roots[1]!) : block.Roots[0]!.MatMul(g);
                var norm = preconditioned.Norm();
                d = norm.ToDouble() > 0 ? preconditioned.Mul(graft.Norm().Div(norm)) : preconditioned.ZerosLike();
            }
            else
            {
                d = graft;
            }

            block.View(direction).Copy_(d);
        }

        var m = Slot(_momentum, index, "exp_avg", () => fullParameter.ZerosLike());
        m.Mul_(Beta1).Add_(direction.View(fullParameter.Shape), 1 - Beta1);
        var u = m.Div(1 - Math.Pow(Beta1, t));
        fullParameter.Mul_(1 - (lr * WeightDecay));
        fullParameter.Add_(u, -lr);
    }

    /// <inheritdoc/>
    protected override void OnStateLoaded() => Array.Clear(_blocks);

    // The parameter is updated through this view (so it must be one); the gradient is only read (reshape copies a
    // non-contiguous one).
    private static Tensor AsMatrixOrVector(Tensor t, bool view) => t.Dim switch
    {
        0 => view ? t.View([1]) : t.Reshape([1]),
        > 2 => view ? t.View([t.Size(0), -1]) : t.Reshape([t.Size(0), -1]),
        _ => t,
    };

    private Tensor InverseRoot(Tensor matrix, int root)
    {
        var (eigenvalues, eigenvectors) = Linalg.Eigh(matrix);
        var scaled = eigenvalues.ClampMin(0.0).Add(MatrixEps).Pow(-1.0 / root);
        return eigenvectors.MatMul(scaled.Diag()).MatMul(eigenvectors.T());
    }

    private List<Block> CreateBlocks(int index, Tensor parameter)
    {
        var shape = parameter.Shape;
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
                    () => Tensor.Zeros([s, s], parameter.Dtype, parameter.Device))).ToArray();
                var rootNames = sides.Select((_, f) => string.Create(CultureInfo.InvariantCulture, $"{prefix}.root{f}")).ToArray();
                var roots = rootNames.Select(n => FindState(n, parameter)).ToArray();
                var graftState = Grafting == ShampooGrafting.Adam
                    ? GetOrCreateState(prefix + ".graft", () => Tensor.Zeros(sides, parameter.Dtype, parameter.Device))
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
            var rows = full.Narrow(0, Rows.Start, Rows.Length);
            return Cols is { } c ? rows.Narrow(1, c.Start, c.Length) : rows;
        }
    }
}
