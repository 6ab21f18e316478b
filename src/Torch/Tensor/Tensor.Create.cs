using AlgoPerf.Torch.PInvoke;

namespace AlgoPerf.Torch;

public sealed partial class Tensor
{
    static Tensor() => NativeLibraryLoader.EnsureRegistered();

    /// <summary>A float32 tensor of the given shape holding a copy of <paramref name="data"/> (row-major).</summary>
    public static Tensor FromArray(ReadOnlySpan<float> data, params long[] shape) => FromSpan(data, ScalarType.Float32, shape);

    /// <summary>A float64 tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor FromArray(ReadOnlySpan<double> data, params long[] shape) => FromSpan(data, ScalarType.Float64, shape);

    /// <summary>An int64 tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor FromArray(ReadOnlySpan<long> data, params long[] shape) => FromSpan(data, ScalarType.Int64, shape);

    /// <summary>An int32 tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor FromArray(ReadOnlySpan<int> data, params long[] shape) => FromSpan(data, ScalarType.Int32, shape);

    /// <summary>A bool tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor FromArray(ReadOnlySpan<bool> data, params long[] shape) => FromSpan(data, ScalarType.Bool, shape);

    /// <summary>Zeros of the given shape and dtype.</summary>
    public static unsafe Tensor Zeros(long[] shape, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(shape);
        fixed (long* s = shape)
        {
            var status = NativeMethods.ats_tensor_zeros(s, shape.Length, (int)dtype, out var h);
            return FromHandle(status, h, nameof(NativeMethods.ats_tensor_zeros));
        }
    }

    /// <summary>Copies the elements (row-major) into a new managed array; <typeparamref name="T"/> must match the dtype.</summary>
    public unsafe T[] ToArray<T>()
        where T : unmanaged
    {
        CheckElementType<T>(Dtype);
        var result = new T[checked((int)Numel)];
        fixed (T* p = result)
        {
            NativeError.Check(NativeMethods.ats_tensor_copy_to(Handle, p, (long)result.Length * sizeof(T)));
        }

        return result;
    }

    private static unsafe Tensor FromSpan<T>(ReadOnlySpan<T> data, ScalarType dtype, long[] shape)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(shape);
        long numel = 1;
        foreach (var d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(shape));
            numel *= d;
        }

        if (numel != data.Length)
        {
            throw new ArgumentException($"shape [{string.Join(", ", shape)}] holds {numel} elements but {data.Length} were given", nameof(shape));
        }

        fixed (T* p = data)
        fixed (long* s = shape)
        {
            var status = NativeMethods.ats_tensor_from_data(p, s, shape.Length, (int)dtype, out var h);
            return FromHandle(status, h, nameof(NativeMethods.ats_tensor_from_data));
        }
    }

    private static unsafe void CheckElementType<T>(ScalarType dtype)
        where T : unmanaged
    {
        var ok = dtype switch
        {
            ScalarType.Float32 => typeof(T) == typeof(float),
            ScalarType.Float64 => typeof(T) == typeof(double),
            ScalarType.Int64 => typeof(T) == typeof(long),
            ScalarType.Int32 => typeof(T) == typeof(int),
            ScalarType.Bool => typeof(T) == typeof(bool),
            ScalarType.Byte => typeof(T) == typeof(byte),
            ScalarType.Float16 => typeof(T) == typeof(Half),
            ScalarType.BFloat16 => typeof(T) == typeof(ushort),
            _ => false,
        };
        if (!ok)
        {
            throw new ArgumentException($"cannot copy a {dtype} tensor into {typeof(T).Name}[]");
        }
    }
}
