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

    /// <summary>A uint8 tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor FromArray(ReadOnlySpan<byte> data, params long[] shape) => FromSpan(data, ScalarType.Byte, shape);

    /// <summary>A float16 tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor FromArray(ReadOnlySpan<Half> data, params long[] shape) => FromSpan(data, ScalarType.Float16, shape);

    /// <summary>A zero-dimensional tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(double value, ScalarType dtype = ScalarType.Float32, Device? device = null) => Full([], value, dtype, device);

    /// <summary>Uninitialised memory of the given shape (<c>torch.empty</c>).</summary>
    public static Tensor Empty(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null) => New(0, shape, 0, 0, dtype, device);

    /// <summary>Zeros of the given shape and dtype.</summary>
    public static Tensor Zeros(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null) => New(1, shape, 0, 0, dtype, device);

    /// <summary>Ones of the given shape and dtype.</summary>
    public static Tensor Ones(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null) => New(2, shape, 0, 0, dtype, device);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(long[] shape, double value, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        New(3, shape, value, IsIntegral(dtype) ? 1 : 0, dtype, device);

    /// <summary>Uninitialised memory shaped, typed and placed like this tensor (dtype: override).</summary>
    public Tensor EmptyLike(ScalarType? dtype = null) => NewLike(0, 0, dtype);

    /// <summary>Zeros shaped, typed and placed like this tensor.</summary>
    public Tensor ZerosLike(ScalarType? dtype = null) => NewLike(1, 0, dtype);

    /// <summary>Ones shaped, typed and placed like this tensor.</summary>
    public Tensor OnesLike(ScalarType? dtype = null) => NewLike(2, 0, dtype);

    /// <summary><paramref name="value"/> shaped, typed and placed like this tensor.</summary>
    public Tensor FullLike(double value, ScalarType? dtype = null) => NewLike(3, value, dtype);

    /// <summary>Values from <paramref name="start"/> to <paramref name="end"/> (exclusive) by <paramref name="step"/>.</summary>
    public static Tensor Arange(double start, double end, double step = 1, ScalarType dtype = ScalarType.Int64, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        var status = NativeMethods.ats_tensor_arange(start, end, step, (int)dtype, (int)d.Type, d.Index, out var h);
        return FromHandle(status, h, nameof(NativeMethods.ats_tensor_arange));
    }

    /// <summary>0, 1, ..., <paramref name="end"/> - 1.</summary>
    public static Tensor Arange(long end, ScalarType dtype = ScalarType.Int64, Device? device = null) => Arange(0, end, 1, dtype, device);

    /// <summary><paramref name="steps"/> evenly spaced values from <paramref name="start"/> to <paramref name="end"/> inclusive.</summary>
    public static Tensor Linspace(double start, double end, long steps, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        var status = NativeMethods.ats_tensor_linspace(start, end, steps, (int)dtype, (int)d.Type, d.Index, out var h);
        return FromHandle(status, h, nameof(NativeMethods.ats_tensor_linspace));
    }

    /// <summary>The n-by-m identity matrix (m defaults to n).</summary>
    public static Tensor Eye(long n, long? m = null, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        var status = NativeMethods.ats_tensor_eye(n, m ?? n, (int)dtype, (int)d.Type, d.Index, out var h);
        return FromHandle(status, h, nameof(NativeMethods.ats_tensor_eye));
    }

    /// <summary>The 2-by-N (row, col) indices of the upper triangle of a rows-by-cols matrix (<c>torch.triu_indices</c>).</summary>
    public static Tensor TriuIndices(long rows, long cols, long offset = 0)
    {
        var status = NativeMethods.ats_tensor_triu_indices(rows, cols, offset, 0, out var h);
        return FromHandle(status, h, nameof(NativeMethods.ats_tensor_triu_indices));
    }

    /// <summary>The indices of the lower triangle (<c>torch.tril_indices</c>).</summary>
    public static Tensor TrilIndices(long rows, long cols, long offset = 0)
    {
        var status = NativeMethods.ats_tensor_triu_indices(rows, cols, offset, 1, out var h);
        return FromHandle(status, h, nameof(NativeMethods.ats_tensor_triu_indices));
    }

    /// <summary>Copies the elements (row-major) into a new managed array; <typeparamref name="TElement"/> must match the dtype.</summary>
    public TElement[] ToArray<TElement>()
        where TElement : unmanaged
    {
        var result = new TElement[checked((int)Numel)];
        CopyTo<TElement>(result);
        return result;
    }

    /// <summary>Copies the elements (row-major) into <paramref name="destination"/>, which must hold at least <see cref="Numel"/>.</summary>
    public unsafe void CopyTo<TElement>(Span<TElement> destination)
        where TElement : unmanaged
    {
        CheckElementType<TElement>(Dtype);
        fixed (TElement* p = destination)
        {
            NativeError.Check(NativeMethods.ats_tensor_copy_to(Handle, p, (long)destination.Length * sizeof(TElement)));
        }
    }

    internal static bool IsIntegral(ScalarType dtype) =>
        dtype is ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64 or ScalarType.Bool;

    private static unsafe Tensor New(int kind, long[] shape, double value, int integral, ScalarType dtype, Device? device)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var d = device ?? Device.Cpu;
        fixed (long* s = shape)
        {
            var status = NativeMethods.ats_tensor_new(kind, s, shape.Length, value, integral, (int)dtype, (int)d.Type, d.Index, out var h);
            return FromHandle(status, h, nameof(NativeMethods.ats_tensor_new));
        }
    }

    private Tensor NewLike(int kind, double value, ScalarType? dtype)
    {
        var integral = IsIntegral(dtype ?? Dtype) ? 1 : 0;
        var status = NativeMethods.ats_tensor_new_like(kind, Handle, value, integral, dtype is null ? -1 : (int)dtype.Value, out var h);
        return FromHandle(status, h, nameof(NativeMethods.ats_tensor_new_like));
    }

    private static unsafe Tensor FromSpan<TElement>(ReadOnlySpan<TElement> data, ScalarType dtype, long[] shape)
        where TElement : unmanaged
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

        fixed (TElement* p = data)
        fixed (long* s = shape)
        {
            var status = NativeMethods.ats_tensor_from_data(p, s, shape.Length, (int)dtype, out var h);
            return FromHandle(status, h, nameof(NativeMethods.ats_tensor_from_data));
        }
    }

    private static void CheckElementType<TElement>(ScalarType dtype)
        where TElement : unmanaged
    {
        var ok = dtype switch
        {
            ScalarType.Float32 => typeof(TElement) == typeof(float),
            ScalarType.Float64 => typeof(TElement) == typeof(double),
            ScalarType.Int64 => typeof(TElement) == typeof(long),
            ScalarType.Int32 => typeof(TElement) == typeof(int),
            ScalarType.Bool => typeof(TElement) == typeof(bool),
            ScalarType.Byte => typeof(TElement) == typeof(byte),
            ScalarType.Float16 => typeof(TElement) == typeof(Half),
            ScalarType.BFloat16 => typeof(TElement) == typeof(ushort),
            _ => false,
        };
        if (!ok)
        {
            throw new ArgumentException($"cannot copy a {dtype} tensor into {typeof(TElement).Name}[]");
        }
    }
}
