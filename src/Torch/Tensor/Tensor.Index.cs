using AlgoPerf.Torch.PInvoke;

namespace AlgoPerf.Torch;

public sealed partial class Tensor
{
    /// <summary>The entries at <paramref name="index"/> (int64) along <paramref name="dim"/> (<c>index_select</c>).</summary>
    public Tensor IndexSelect(long dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        var status = NativeMethods.ats_tensor_index_select(Handle, dim, index.Handle, out var h);
        return FromHandle(status, h, nameof(NativeMethods.ats_tensor_index_select));
    }

    /// <summary><c>out[i][j] = this[index[i][j]][j]</c> for dim 0, and so on (<c>gather</c>).</summary>
    public Tensor Gather(long dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        var status = NativeMethods.ats_tensor_gather(Handle, dim, index.Handle, out var h);
        return FromHandle(status, h, nameof(NativeMethods.ats_tensor_gather));
    }

    /// <summary>A copy with <paramref name="src"/> added at <paramref name="index"/> along <paramref name="dim"/> (<c>scatter_add</c>).</summary>
    public Tensor ScatterAdd(long dim, Tensor index, Tensor src) => ScatterCall(ScatterOp.ScatterAdd, dim, index, src, 1, false)!;

    /// <summary>In place <see cref="ScatterAdd"/>. Returns this.</summary>
    public Tensor ScatterAdd_(long dim, Tensor index, Tensor src) => ScatterCall(ScatterOp.ScatterAdd, dim, index, src, 1, true) ?? this;

    /// <summary>A copy with <paramref name="src"/> written at <paramref name="index"/> along <paramref name="dim"/> (<c>scatter</c>).</summary>
    public Tensor Scatter(long dim, Tensor index, Tensor src) => ScatterCall(ScatterOp.Scatter, dim, index, src, 1, false)!;

    /// <summary>A copy with <c>alpha * src</c> rows added at the rows <paramref name="index"/> along <paramref name="dim"/> (<c>index_add</c>).</summary>
    public Tensor IndexAdd(long dim, Tensor index, Tensor src, double alpha = 1) => ScatterCall(ScatterOp.IndexAdd, dim, index, src, alpha, false)!;

    /// <summary>In place <see cref="IndexAdd"/>. Returns this.</summary>
    public Tensor IndexAdd_(long dim, Tensor index, Tensor src, double alpha = 1) => ScatterCall(ScatterOp.IndexAdd, dim, index, src, alpha, true) ?? this;

    /// <summary>In place: copies the rows of <paramref name="src"/> to the rows <paramref name="index"/> (<c>index_copy_</c>). Returns this.</summary>
    public Tensor IndexCopy_(long dim, Tensor index, Tensor src) => ScatterCall(ScatterOp.IndexCopy, dim, index, src, 1, true) ?? this;

    /// <summary>
    /// Advanced indexing <c>t[i0, i1, ...]</c> with integer or bool index tensors; a null entry stands for <c>:</c>
    /// (e.g. <c>t.Index(null, rows, cols)</c> is <c>t[:, rows, cols]</c>).
    /// </summary>
    public unsafe Tensor Index(params Tensor?[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var handles = indices.Length <= 16 ? stackalloc IntPtr[indices.Length] : new IntPtr[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            handles[i] = HandleOf(indices[i]);
        }

        fixed (IntPtr* p = handles)
        {
            var status = NativeMethods.ats_tensor_index(Handle, p, indices.Length, out var h);
            return FromHandle(status, h, nameof(NativeMethods.ats_tensor_index));
        }
    }

    /// <summary>In place <c>t[i0, i1, ...] = values</c> (or <c>+=</c> with <paramref name="accumulate"/>). Returns this.</summary>
    public unsafe Tensor IndexPut_(Tensor?[] indices, Tensor values, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(values);
        var handles = indices.Length <= 16 ? stackalloc IntPtr[indices.Length] : new IntPtr[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            handles[i] = HandleOf(indices[i]);
        }

        fixed (IntPtr* p = handles)
        {
            NativeError.Check(NativeMethods.ats_tensor_index_put_(Handle, p, indices.Length, values.Handle, accumulate ? 1 : 0));
        }

        return this;
    }

    /// <summary>A copy with <paramref name="value"/> where <paramref name="mask"/> is true (<c>masked_fill</c>).</summary>
    public Tensor MaskedFill(Tensor mask, double value)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var status = NativeMethods.ats_tensor_masked_fill(Handle, mask.Handle, value, IsIntegral(Dtype) ? 1 : 0, 0, out var h);
        return FromHandle(status, h, nameof(NativeMethods.ats_tensor_masked_fill));
    }

    /// <summary>In place <see cref="MaskedFill"/>. Returns this.</summary>
    public Tensor MaskedFill_(Tensor mask, double value)
    {
        ArgumentNullException.ThrowIfNull(mask);
        NativeError.Check(NativeMethods.ats_tensor_masked_fill(Handle, mask.Handle, value, IsIntegral(Dtype) ? 1 : 0, 1, out _));
        return this;
    }

    /// <summary>The elements where <paramref name="mask"/> is true, as a 1-d tensor (<c>masked_select</c>).</summary>
    public Tensor MaskedSelect(Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var status = NativeMethods.ats_tensor_masked_select(Handle, mask.Handle, out var h);
        return FromHandle(status, h, nameof(NativeMethods.ats_tensor_masked_select));
    }

    /// <summary><paramref name="a"/> where <paramref name="condition"/> is true, else <paramref name="b"/> (<c>torch.where</c>).</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var status = NativeMethods.ats_tensor_where(condition.Handle, a.Handle, b.Handle, out var h);
        return FromHandle(status, h, nameof(NativeMethods.ats_tensor_where));
    }

    private Tensor? ScatterCall(ScatterOp op, long dim, Tensor index, Tensor src, double alpha, bool inplace)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(src);
        var status = NativeMethods.ats_tensor_scatter((int)op, Handle, dim, index.Handle, src.Handle, alpha, inplace ? 1 : 0, out var h);
        NativeError.CheckOp(status, nameof(NativeMethods.ats_tensor_scatter), op);
        return inplace ? null : new Tensor(h);
    }
}
