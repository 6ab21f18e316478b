using AlgoPerf.Torch.PInvoke;

namespace AlgoPerf.Torch;

public sealed partial class Tensor
{
    /// <summary>Sum of every element (a 0-d tensor).</summary>
    public Tensor Sum() => Reduce(ReduceOp.Sum, null, false, 0, null);

    /// <summary>
    /// Sum of every element, accumulated and returned in <paramref name="dtype"/> (<c>sum(dtype=...)</c>). A separate
    /// name because C# converts the literal 0 to any enum, so <c>Sum(0)</c> must mean dim 0.
    /// </summary>
    public Tensor SumAs(ScalarType dtype) => Reduce(ReduceOp.Sum, null, false, 0, dtype);

    /// <summary>Sum over <paramref name="dims"/>.</summary>
    public Tensor Sum(long[] dims, bool keepDim = false, ScalarType? dtype = null) => Reduce(ReduceOp.Sum, dims, keepDim, 0, dtype);

    /// <summary>Sum over one dim.</summary>
    public Tensor Sum(long dim, bool keepDim = false) => Reduce(ReduceOp.Sum, [dim], keepDim, 0, null);

    /// <summary>Mean of every element.</summary>
    public Tensor Mean() => Reduce(ReduceOp.Mean, null, false, 0, null);

    /// <summary>Mean of every element, computed in <paramref name="dtype"/> (see <see cref="SumAs"/>).</summary>
    public Tensor MeanAs(ScalarType dtype) => Reduce(ReduceOp.Mean, null, false, 0, dtype);

    /// <summary>Mean over <paramref name="dims"/>.</summary>
    public Tensor Mean(long[] dims, bool keepDim = false, ScalarType? dtype = null) => Reduce(ReduceOp.Mean, dims, keepDim, 0, dtype);

    /// <summary>Mean over one dim.</summary>
    public Tensor Mean(long dim, bool keepDim = false) => Reduce(ReduceOp.Mean, [dim], keepDim, 0, null);

    /// <summary>Product of every element.</summary>
    public Tensor Prod() => Reduce(ReduceOp.Prod, null, false, 0, null);

    /// <summary>Product over one dim.</summary>
    public Tensor Prod(long dim, bool keepDim = false) => Reduce(ReduceOp.Prod, [dim], keepDim, 0, null);

    /// <summary>Largest element (<c>max()</c>).</summary>
    public Tensor Max() => Reduce(ReduceOp.Amax, null, false, 0, null);

    /// <summary>Smallest element (<c>min()</c>).</summary>
    public Tensor Min() => Reduce(ReduceOp.Amin, null, false, 0, null);

    /// <summary>Largest values over <paramref name="dims"/> without indices (<c>amax</c>).</summary>
    public Tensor Amax(long[] dims, bool keepDim = false) => Reduce(ReduceOp.Amax, dims, keepDim, 0, null);

    /// <summary>Smallest values over <paramref name="dims"/> without indices (<c>amin</c>).</summary>
    public Tensor Amin(long[] dims, bool keepDim = false) => Reduce(ReduceOp.Amin, dims, keepDim, 0, null);

    /// <summary>Largest values along <paramref name="dim"/> and their indices (<c>torch.max(t, dim)</c>).</summary>
    public (Tensor Values, Tensor Indices) Max(long dim, bool keepDim = false) => WithIndices(0, dim, keepDim, 0);

    /// <summary>Smallest values along <paramref name="dim"/> and their indices (<c>torch.min(t, dim)</c>).</summary>
    public (Tensor Values, Tensor Indices) Min(long dim, bool keepDim = false) => WithIndices(1, dim, keepDim, 0);

    /// <summary>Values sorted along <paramref name="dim"/> and their original indices.</summary>
    public (Tensor Values, Tensor Indices) Sort(long dim = -1, bool descending = false) => WithIndices(2, dim, false, descending ? 1 : 0);

    /// <summary>The <paramref name="k"/> largest values along <paramref name="dim"/> and their indices.</summary>
    public (Tensor Values, Tensor Indices) TopK(long k, long dim = -1) => WithIndices(3, dim, false, k);

    /// <summary>Index of the largest element of the flattened tensor.</summary>
    public Tensor ArgMax() => Reduce(ReduceOp.ArgMax, null, false, 0, null);

    /// <summary>Indices of the largest elements along <paramref name="dim"/>.</summary>
    public Tensor ArgMax(long dim, bool keepDim = false) => Reduce(ReduceOp.ArgMax, [dim], keepDim, 0, null);

    /// <summary>Index of the smallest element of the flattened tensor.</summary>
    public Tensor ArgMin() => Reduce(ReduceOp.ArgMin, null, false, 0, null);

    /// <summary>Indices of the smallest elements along <paramref name="dim"/>.</summary>
    public Tensor ArgMin(long dim, bool keepDim = false) => Reduce(ReduceOp.ArgMin, [dim], keepDim, 0, null);

    /// <summary>The p-norm of all elements as a vector (<c>linalg.vector_norm</c>; p may be infinity).</summary>
    public Tensor Norm(double p = 2) => Reduce(ReduceOp.Norm, null, false, p, null);

    /// <summary>The p-norm over <paramref name="dims"/>.</summary>
    public Tensor Norm(long[] dims, double p = 2, bool keepDim = false) => Reduce(ReduceOp.Norm, dims, keepDim, p, null);

    /// <summary>Variance of all elements with Bessel's <paramref name="correction"/> (1: unbiased, 0: population).</summary>
    public Tensor Var(long correction = 1) => Reduce(ReduceOp.Var, null, false, correction, null);

    /// <summary>Variance over <paramref name="dims"/>.</summary>
    public Tensor Var(long[] dims, long correction = 1, bool keepDim = false) => Reduce(ReduceOp.Var, dims, keepDim, correction, null);

    /// <summary>Standard deviation of all elements with <paramref name="correction"/>.</summary>
    public Tensor Std(long correction = 1) => Reduce(ReduceOp.Std, null, false, correction, null);

    /// <summary>Standard deviation over <paramref name="dims"/>.</summary>
    public Tensor Std(long[] dims, long correction = 1, bool keepDim = false) => Reduce(ReduceOp.Std, dims, keepDim, correction, null);

    /// <summary><c>log(sum(exp(x)))</c> over every element, computed stably.</summary>
    public Tensor LogSumExp() => Reduce(ReduceOp.LogSumExp, null, false, 0, null);

    /// <summary><c>log(sum(exp(x)))</c> over <paramref name="dims"/>.</summary>
    public Tensor LogSumExp(long[] dims, bool keepDim = false) => Reduce(ReduceOp.LogSumExp, dims, keepDim, 0, null);

    /// <summary>True when every element is non-zero (a 0-d bool tensor).</summary>
    public Tensor All() => Reduce(ReduceOp.All, null, false, 0, null);

    /// <summary><see cref="All()"/> over <paramref name="dims"/>.</summary>
    public Tensor All(long[] dims, bool keepDim = false) => Reduce(ReduceOp.All, dims, keepDim, 0, null);

    /// <summary>True when any element is non-zero.</summary>
    public Tensor Any() => Reduce(ReduceOp.Any, null, false, 0, null);

    /// <summary><see cref="Any()"/> over <paramref name="dims"/>.</summary>
    public Tensor Any(long[] dims, bool keepDim = false) => Reduce(ReduceOp.Any, dims, keepDim, 0, null);

    /// <summary>Cumulative sum along <paramref name="dim"/>.</summary>
    public Tensor CumSum(long dim)
    {
        var status = NativeMethods.ats_tensor_scan(0, Handle, dim, out var h);
        return FromHandle(status, h, nameof(NativeMethods.ats_tensor_scan));
    }

    private unsafe Tensor Reduce(ReduceOp op, long[]? dims, bool keepDim, double arg, ScalarType? dtype)
    {
        fixed (long* d = dims)
        {
            var status = NativeMethods.ats_tensor_reduce((int)op, Handle, d, dims is null ? -1 : dims.Length, keepDim ? 1 : 0, arg, dtype is null ? -1 : (int)dtype.Value, out var h);
            return FromOp(status, h, nameof(NativeMethods.ats_tensor_reduce), op);
        }
    }

    private (Tensor Values, Tensor Indices) WithIndices(int op, long dim, bool keepDim, long arg)
    {
        NativeError.Check(NativeMethods.ats_tensor_reduce_indices(op, Handle, dim, keepDim ? 1 : 0, arg, out var values, out var indices));
        return (new Tensor(values), new Tensor(indices));
    }
}
