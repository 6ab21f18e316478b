using System.Runtime.InteropServices;

namespace AlgoPerf.Torch.PInvoke;

/// <summary>Exports of tensor_create.cpp: factories, copies, conversions and metadata.</summary>
internal static partial class NativeMethods
{
    [LibraryImport(Lib)]
    internal static unsafe partial int ats_tensor_from_data(void* data, long* shape, long ndim, int dtype, out IntPtr result);

    [LibraryImport(Lib)]
    internal static unsafe partial int ats_tensor_copy_to(IntPtr t, void* dest, long capacityBytes);

    [LibraryImport(Lib)]
    internal static unsafe partial int ats_tensor_new(int kind, long* shape, long ndim, double value, int integral, int dtype, int deviceType, int deviceIndex, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_new_like(int kind, IntPtr t, double value, int integral, int dtype, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_arange(double start, double end, double step, int dtype, int deviceType, int deviceIndex, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_linspace(double start, double end, long steps, int dtype, int deviceType, int deviceIndex, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_eye(long n, long m, int dtype, int deviceType, int deviceIndex, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_triu_indices(long rows, long cols, long offset, int lower, out IntPtr result);

    [LibraryImport(Lib)]
    internal static unsafe partial int ats_tensor_random(int kind, long* shape, long ndim, IntPtr generator, int dtype, int deviceType, int deviceIndex, out IntPtr result);

    [LibraryImport(Lib)]
    internal static unsafe partial int ats_tensor_randint(long low, long high, long* shape, long ndim, IntPtr generator, int dtype, int deviceType, int deviceIndex, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_randperm(long n, IntPtr generator, int dtype, int deviceType, int deviceIndex, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_bernoulli(IntPtr t, double p, IntPtr generator, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_fill_random_(int kind, IntPtr t, double a, double b, IntPtr generator);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_to_dtype(IntPtr t, int dtype, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_to_device(IntPtr t, int deviceType, int deviceIndex, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_clone(IntPtr t, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_alias(IntPtr t, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_item(IntPtr t, out double value);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_item_long(IntPtr t, out long value);

    [LibraryImport(Lib)]
    internal static partial int ats_cuda_is_available();

    [LibraryImport(Lib)]
    internal static partial long ats_tensor_ndim(IntPtr t);

    [LibraryImport(Lib)]
    internal static partial long ats_tensor_numel(IntPtr t);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_dtype(IntPtr t);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_device_type(IntPtr t);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_device_index(IntPtr t);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_is_contiguous(IntPtr t);

    [LibraryImport(Lib)]
    internal static unsafe partial long ats_tensor_sizes(IntPtr t, long* sizes, long capacity);

    [LibraryImport(Lib)]
    internal static unsafe partial long ats_tensor_strides(IntPtr t, long* strides, long capacity);
}
