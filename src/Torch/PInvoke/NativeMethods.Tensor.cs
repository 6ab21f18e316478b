using System.Runtime.InteropServices;

namespace AlgoPerf.Torch.PInvoke;

/// <summary>Exports of <c>native/src/tensor_create.cpp</c> and <c>native/src/tensor_ops.cpp</c>.</summary>
internal static partial class NativeMethods
{
    [LibraryImport(Lib)]
    internal static unsafe partial int ats_tensor_from_data(void* data, long* shape, long ndim, int dtype, out IntPtr result);

    [LibraryImport(Lib)]
    internal static unsafe partial int ats_tensor_copy_to(IntPtr t, void* dest, long capacityBytes);

    [LibraryImport(Lib)]
    internal static unsafe partial int ats_tensor_zeros(long* shape, long ndim, int dtype, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial long ats_tensor_ndim(IntPtr t);

    [LibraryImport(Lib)]
    internal static partial long ats_tensor_numel(IntPtr t);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_dtype(IntPtr t);

    [LibraryImport(Lib)]
    internal static unsafe partial long ats_tensor_sizes(IntPtr t, long* sizes, long capacity);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_add(IntPtr a, IntPtr b, double alpha, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_add_(IntPtr a, IntPtr b, double alpha);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_matmul(IntPtr a, IntPtr b, out IntPtr result);
}
