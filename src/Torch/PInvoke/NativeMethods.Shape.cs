using System.Runtime.InteropServices;

namespace AlgoPerf.Torch.PInvoke;

/// <summary>Exports of tensor_shape.cpp: views, joins, splits, indexing, gathers and scatters.</summary>
internal static partial class NativeMethods
{
    [LibraryImport(Lib)]
    internal static unsafe partial int ats_tensor_shape_op(int op, IntPtr t, long* values, long n, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_dim_op(int op, IntPtr t, long a, long b, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_tri_(IntPtr t, long diagonal, int lower);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_slice(IntPtr t, long dim, long start, long end, long step, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_narrow(IntPtr t, long dim, long start, long length, out IntPtr result);

    [LibraryImport(Lib)]
    internal static unsafe partial int ats_tensor_join(IntPtr* items, long n, long dim, int stack, out IntPtr result);

    [LibraryImport(Lib)]
    internal static unsafe partial int ats_tensor_split(int kind, IntPtr t, long* sizes, long nsizes, long dim, IntPtr* outs, long capacity, out long count);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_index_select(IntPtr t, long dim, IntPtr index, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_gather(IntPtr t, long dim, IntPtr index, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_scatter(int op, IntPtr t, long dim, IntPtr index, IntPtr src, double alpha, int inplace, out IntPtr result);

    [LibraryImport(Lib)]
    internal static unsafe partial int ats_tensor_index(IntPtr t, IntPtr* indices, long n, out IntPtr result);

    [LibraryImport(Lib)]
    internal static unsafe partial int ats_tensor_index_put_(IntPtr t, IntPtr* indices, long n, IntPtr values, int accumulate);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_masked_fill(IntPtr t, IntPtr mask, double value, int integral, int inplace, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_masked_select(IntPtr t, IntPtr mask, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_where(IntPtr cond, IntPtr a, IntPtr b, out IntPtr result);
}
