using System.Runtime.InteropServices;

namespace AlgoPerf.Torch.PInvoke;

/// <summary>
/// Extern declarations of the shim's common exports. Only declarations live in <c>PInvoke/</c>, one partial file per
/// area (<c>NativeMethods.Tensor.cs</c>, ...). Every export returning <c>int</c> returns 0 on success; callers pass the
/// result to <see cref="NativeError.Check(int, string)"/>.
/// </summary>
internal static partial class NativeMethods
{
    internal const string Lib = NativeLibraryLoader.ShimName;

    [LibraryImport(Lib)]
    internal static partial IntPtr ats_last_error();

    [LibraryImport(Lib)]
    internal static partial void ats_clear_error();

    [LibraryImport(Lib)]
    internal static partial void ats_tensor_free(IntPtr t);

    [LibraryImport(Lib)]
    internal static partial int ats_version(out int major, out int minor, out int patch);

    [LibraryImport(Lib)]
    internal static partial int ats_set_num_threads(int n);

    [LibraryImport(Lib)]
    internal static partial int ats_get_num_threads();

    [LibraryImport(Lib)]
    internal static partial int ats_get_blas_threads();

    [LibraryImport(Lib)]
    internal static partial int ats_manual_seed(ulong seed);
}
