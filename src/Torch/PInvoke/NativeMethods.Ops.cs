using System.Runtime.InteropServices;

namespace AlgoPerf.Torch.PInvoke;

/// <summary>Exports of tensor_ops.cpp and tensor_reduce.cpp: element-wise arithmetic, products, reductions.</summary>
internal static partial class NativeMethods
{
    [LibraryImport(Lib)]
    internal static partial int ats_tensor_add(IntPtr a, IntPtr b, double alpha, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_add_(IntPtr a, IntPtr b, double alpha);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_matmul(IntPtr a, IntPtr b, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_unary(int op, IntPtr t, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_unary_(int op, IntPtr t);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_binary(int op, IntPtr a, IntPtr b, double alpha, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_binary_(int op, IntPtr a, IntPtr b, double alpha);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_scalar(int op, IntPtr a, double value, int integral, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_scalar_(int op, IntPtr a, double value, int integral);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_clamp(IntPtr t, double min, int hasMin, double max, int hasMax, int inplace, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_ternary(int op, IntPtr a, IntPtr b, IntPtr c, double value, int inplace, out IntPtr result);

    [LibraryImport(Lib)]
    internal static unsafe partial int ats_tensor_reduce(int op, IntPtr t, long* dims, long ndims, int keepdim, double arg, int dtype, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_reduce_indices(int op, IntPtr t, long dim, int keepdim, long arg, out IntPtr values, out IntPtr indices);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_scan(int op, IntPtr t, long dim, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_linalg_eigh(IntPtr t, int upper, out IntPtr eigenvalues, out IntPtr eigenvectors);

    [LibraryImport(Lib)]
    internal static partial int ats_linalg_inv(IntPtr t, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_linalg_cholesky(IntPtr t, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_linalg_inv_root(IntPtr t, double p, double eps, double floor, out IntPtr result);
}
