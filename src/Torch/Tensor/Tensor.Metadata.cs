using AlgoPerf.Torch.PInvoke;

namespace AlgoPerf.Torch;

public sealed partial class Tensor
{
    /// <summary>Number of dimensions.</summary>
    public long Dim => NativeMethods.ats_tensor_ndim(Handle);

    /// <summary>Number of elements.</summary>
    public long Numel => NativeMethods.ats_tensor_numel(Handle);

    /// <summary>Element type.</summary>
    public ScalarType Dtype => (ScalarType)NativeMethods.ats_tensor_dtype(Handle);

    /// <summary>The sizes of every dimension.</summary>
    public unsafe long[] Shape
    {
        get
        {
            Span<long> buffer = stackalloc long[16];
            long n;
            fixed (long* p = buffer)
            {
                n = NativeMethods.ats_tensor_sizes(Handle, p, buffer.Length);
            }

            if (n <= buffer.Length)
            {
                return buffer[..(int)n].ToArray();
            }

            var big = new long[n];
            fixed (long* p = big)
            {
                NativeMethods.ats_tensor_sizes(Handle, p, n);
            }

            return big;
        }
    }

    /// <summary>The size of one dimension (negative counts from the end).</summary>
    public long Size(int dim)
    {
        var shape = Shape;
        return shape[dim < 0 ? shape.Length + dim : dim];
    }

    /// <inheritdoc />
    public override string ToString() =>
        IsDisposed ? "Tensor(disposed)" : $"Tensor(shape=[{string.Join(", ", Shape)}], dtype={Dtype})";
}
