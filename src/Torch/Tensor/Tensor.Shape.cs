using AlgoPerf.Torch.PInvoke;

namespace AlgoPerf.Torch;

public sealed partial class Tensor
{
    /// <summary>A view with a new shape (one size may be -1); the data must be laid out compatibly (<c>view</c>).</summary>
    public Tensor View(params long[] shape) => ShapeCall(ShapeOp.View, shape);

    /// <summary>A tensor with a new shape, a view where possible (<c>reshape</c>).</summary>
    public Tensor Reshape(params long[] shape) => ShapeCall(ShapeOp.Reshape, shape);

    /// <summary>The dims reordered (<c>permute</c>).</summary>
    public Tensor Permute(params long[] dims) => ShapeCall(ShapeOp.Permute, dims);

    /// <summary>Size-1 dims broadcast to the given sizes without copying (-1 keeps a size) (<c>expand</c>).</summary>
    public Tensor Expand(params long[] sizes) => ShapeCall(ShapeOp.Expand, sizes);

    /// <summary>The data tiled <paramref name="repeats"/> times along each dim (<c>repeat</c>).</summary>
    public Tensor Repeat(params long[] repeats) => ShapeCall(ShapeOp.Repeat, repeats);

    /// <summary>The order of elements reversed along the given dims (<c>flip</c>).</summary>
    public Tensor Flip(params long[] dims) => ShapeCall(ShapeOp.Flip, dims);

    /// <summary>Sums broadcast dims away down to <paramref name="shape"/> (<c>sum_to_size</c>).</summary>
    public Tensor SumToSize(params long[] shape) => ShapeCall(ShapeOp.SumToSize, shape);

    /// <summary>Swaps two dims (<c>transpose</c>).</summary>
    public Tensor Transpose(long dim0, long dim1) => DimCall(DimOp.Transpose, dim0, dim1);

    /// <summary>Merges dims <paramref name="startDim"/>..<paramref name="endDim"/> into one (<c>flatten</c>).</summary>
    public Tensor Flatten(long startDim = 0, long endDim = -1) => DimCall(DimOp.Flatten, startDim, endDim);

    /// <summary>Removes every size-1 dim.</summary>
    public Tensor Squeeze() => DimCall(DimOp.Squeeze, 0, 1);

    /// <summary>Removes <paramref name="dim"/> if its size is 1.</summary>
    public Tensor Squeeze(long dim) => DimCall(DimOp.Squeeze, dim, 0);

    /// <summary>Inserts a size-1 dim at <paramref name="dim"/>.</summary>
    public Tensor Unsqueeze(long dim) => DimCall(DimOp.Unsqueeze, dim, 0);

    /// <summary>This tensor laid out contiguously (itself, as a new handle, when it already is).</summary>
    public Tensor Contiguous() => DimCall(DimOp.Contiguous, 0, 0);

    /// <summary>The transpose of a matrix (<c>t()</c>); 0-d and 1-d tensors are returned as they are.</summary>
    public Tensor T() => DimCall(DimOp.T, 0, 0);

    /// <summary>The upper triangle from <paramref name="diagonal"/> up, zeros elsewhere (<c>triu</c>).</summary>
    public Tensor Triu(long diagonal = 0) => DimCall(DimOp.Triu, diagonal, 0);

    /// <summary>The lower triangle (<c>tril</c>).</summary>
    public Tensor Tril(long diagonal = 0) => DimCall(DimOp.Tril, diagonal, 0);

    /// <summary>In place <see cref="Triu"/>. Returns this.</summary>
    public Tensor Triu_(long diagonal = 0)
    {
        NativeError.Check(NativeMethods.ats_tensor_tri_(Handle, diagonal, 0));
        return this;
    }

    /// <summary>In place <see cref="Tril"/>. Returns this.</summary>
    public Tensor Tril_(long diagonal = 0)
    {
        NativeError.Check(NativeMethods.ats_tensor_tri_(Handle, diagonal, 1));
        return this;
    }

    /// <summary>The slice at <paramref name="index"/> along <paramref name="dim"/>, removing that dim (<c>select</c>).</summary>
    public Tensor Select(long dim, long index) => DimCall(DimOp.Select, dim, index);

    /// <summary>A diagonal matrix from a vector, or a matrix's diagonal as a vector (<c>diag</c>).</summary>
    public Tensor Diag(long offset = 0) => DimCall(DimOp.Diag, offset, 0);

    /// <summary>The diagonal of the last two dims, as a view (<c>diagonal</c>).</summary>
    public Tensor Diagonal(long offset = 0) => DimCall(DimOp.Diagonal, offset, 0);

    /// <summary>Moves one dim to a new position (<c>movedim</c>).</summary>
    public Tensor MoveDim(long source, long destination) => DimCall(DimOp.MoveDim, source, destination);

    /// <summary>Elements <paramref name="start"/>..<paramref name="end"/> (exclusive, clipped as in Python) by <paramref name="step"/> along <paramref name="dim"/>, as a view.</summary>
    public Tensor Slice(long dim, long start, long end, long step = 1)
    {
        var status = NativeMethods.ats_tensor_slice(Handle, dim, start, end, step, out var h);
        return FromHandle(status, h, nameof(NativeMethods.ats_tensor_slice));
    }

    /// <summary><paramref name="length"/> elements from <paramref name="start"/> along <paramref name="dim"/>, as a view (<c>narrow</c>).</summary>
    public Tensor Narrow(long dim, long start, long length)
    {
        var status = NativeMethods.ats_tensor_narrow(Handle, dim, start, length, out var h);
        return FromHandle(status, h, nameof(NativeMethods.ats_tensor_narrow));
    }

    /// <summary><c>t[index]</c>: the slice at <paramref name="index"/> along the first dim.</summary>
    [System.Runtime.CompilerServices.IndexerName("Row")]
    public Tensor this[long index] => Select(0, index);

    /// <summary>Concatenates along an existing dim (<c>torch.cat</c>).</summary>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(tensors, dim, 0);

    /// <summary>Stacks along a new dim (<c>torch.stack</c>).</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(tensors, dim, 1);

    /// <summary>Pieces of <paramref name="splitSize"/> along <paramref name="dim"/> (the last may be smaller) (<c>split</c>).</summary>
    public Tensor[] Split(long splitSize, long dim = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(splitSize, 1);
        var size = Size((int)dim);
        return SplitCall(0, [splitSize], dim, Math.Max(1, (size + splitSize - 1) / splitSize));
    }

    /// <summary>Pieces of the given sizes along <paramref name="dim"/> (<c>split_with_sizes</c>).</summary>
    public Tensor[] Split(long[] sizes, long dim = 0)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        return SplitCall(1, sizes, dim, sizes.Length);
    }

    /// <summary>At most <paramref name="chunks"/> nearly equal pieces along <paramref name="dim"/> (<c>chunk</c>).</summary>
    public Tensor[] Chunk(long chunks, long dim = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunks, 1);
        return SplitCall(2, [chunks], dim, chunks);
    }

    /// <summary>Every slice along <paramref name="dim"/>, that dim removed (<c>unbind</c>).</summary>
    public Tensor[] Unbind(long dim = 0) => SplitCall(3, [0], dim, Size((int)dim));

    private unsafe Tensor ShapeCall(ShapeOp op, long[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        fixed (long* v = values)
        {
            var status = NativeMethods.ats_tensor_shape_op((int)op, Handle, v, values.Length, out var h);
            return FromOp(status, h, nameof(NativeMethods.ats_tensor_shape_op), op);
        }
    }

    private Tensor DimCall(DimOp op, long a, long b)
    {
        var status = NativeMethods.ats_tensor_dim_op((int)op, Handle, a, b, out var h);
        return FromOp(status, h, nameof(NativeMethods.ats_tensor_dim_op), op);
    }

    private static unsafe Tensor Join(IReadOnlyList<Tensor> tensors, long dim, int stack)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var n = tensors.Count;
        var handles = n <= 64 ? stackalloc IntPtr[n] : new IntPtr[n];
        for (var i = 0; i < n; i++)
        {
            handles[i] = tensors[i].Handle;
        }

        fixed (IntPtr* p = handles)
        {
            var status = NativeMethods.ats_tensor_join(p, n, dim, stack, out var h);
            return FromHandle(status, h, nameof(NativeMethods.ats_tensor_join));
        }
    }

    private unsafe Tensor[] SplitCall(int kind, long[] sizes, long dim, long capacity)
    {
        var outs = new IntPtr[capacity];
        long count;
        fixed (long* s = sizes)
        fixed (IntPtr* o = outs)
        {
            NativeError.Check(NativeMethods.ats_tensor_split(kind, Handle, s, sizes.Length, dim, o, capacity, out count));
        }

        var result = new Tensor[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = new Tensor(outs[i]);
        }

        return result;
    }
}
