using AlgoPerf.Torch.PInvoke;

namespace AlgoPerf.Torch.Serialization;

/// <summary>
/// Dtype-agnostic raw copies between tensors and native memory (the element bytes exactly as libtorch holds them,
/// little-endian on every platform we run on), used by <see cref="TensorFile"/>.
/// </summary>
internal static unsafe class TensorBytes
{
    /// <summary>Bytes per element of <paramref name="dtype"/>, or 0 for a dtype tensor files do not store.</summary>
    internal static int ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Bool or ScalarType.Byte or ScalarType.Int8 => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 => 8,
        _ => 0,
    };

    /// <summary>Copies the tensor's elements (row-major, its own dtype) to <paramref name="dest"/>.</summary>
    internal static void CopyTo(Tensor tensor, void* dest, long capacityBytes) =>
        NativeError.Check(NativeMethods.ats_tensor_copy_to(tensor.Handle, dest, capacityBytes));

    /// <summary>A new CPU tensor holding a copy of the elements at <paramref name="data"/>.</summary>
    internal static Tensor Create(void* data, long[] shape, ScalarType dtype)
    {
        fixed (long* s = shape)
        {
            var status = NativeMethods.ats_tensor_from_data(data, s, shape.Length, (int)dtype, out var h);
            return Tensor.FromHandle(status, h, nameof(NativeMethods.ats_tensor_from_data));
        }
    }

    /// <summary>A new CPU tensor of <paramref name="dtype"/> whose element bytes are <paramref name="bytes"/>.</summary>
    internal static Tensor FromBytes(ReadOnlySpan<byte> bytes, long[] shape, ScalarType dtype)
    {
        long numel = 1;
        foreach (var d in shape)
        {
            numel = checked(numel * d);
        }

        if (numel * ElementSize(dtype) != bytes.Length)
        {
            throw new ArgumentException($"{bytes.Length} bytes do not hold a {dtype} tensor of shape [{string.Join(", ", shape)}]", nameof(bytes));
        }

        fixed (byte* p = bytes)
        {
            return Create(p, shape, dtype);
        }
    }

    /// <summary>The tensor's element bytes.</summary>
    internal static byte[] ToBytes(Tensor tensor)
    {
        var result = new byte[checked((int)(tensor.Numel * ElementSize(tensor.Dtype)))];
        fixed (byte* p = result)
        {
            CopyTo(tensor, p, result.Length);
        }

        return result;
    }
}
