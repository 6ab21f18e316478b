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

    /// <summary>The device the tensor lives on.</summary>
    public Device Device
    {
        get
        {
            var h = Handle;
            return new Device((DeviceType)NativeMethods.ats_tensor_device_type(h), NativeMethods.ats_tensor_device_index(h));
        }
    }

    /// <summary>True when the elements are laid out row-major without gaps.</summary>
    public bool IsContiguous => NativeMethods.ats_tensor_is_contiguous(Handle) != 0;

    /// <summary>The strides of every dimension, in elements.</summary>
    public unsafe long[] Strides
    {
        get
        {
            var result = new long[Dim];
            fixed (long* p = result)
            {
                NativeMethods.ats_tensor_strides(Handle, p, result.Length);
            }

            return result;
        }
    }

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
    public unsafe long Size(int dim)
    {
        Span<long> buffer = stackalloc long[16];
        long n;
        fixed (long* p = buffer)
        {
            n = NativeMethods.ats_tensor_sizes(Handle, p, buffer.Length);
        }

        var i = dim < 0 ? n + dim : dim;
        if (i < 0 || i >= n)
        {
            throw new ArgumentOutOfRangeException(nameof(dim), dim, $"tensor has {n} dimensions");
        }

        return i < buffer.Length ? buffer[(int)i] : Shape[i];
    }

    /// <inheritdoc />
    public override string ToString() =>
        IsDisposed ? "Tensor(disposed)" : $"Tensor(shape=[{string.Join(", ", Shape)}], dtype={Dtype})";
}
