using System.Runtime.InteropServices;

namespace AlgoPerf.Torch.PInvoke;

/// <summary>Exports of autograd.cpp and generator.cpp.</summary>
internal static partial class NativeMethods
{
    [LibraryImport(Lib)]
    internal static partial int ats_tensor_set_requires_grad(IntPtr t, int value);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_requires_grad(IntPtr t);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_is_leaf(IntPtr t);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_grad(IntPtr t, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_set_grad(IntPtr t, IntPtr grad);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_backward(IntPtr t, IntPtr gradient, int retainGraph, int createGraph);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_detach(IntPtr t, int inplace, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_tensor_set_data(IntPtr t, IntPtr value);

    [LibraryImport(Lib)]
    internal static partial int ats_grad_mode_set(int enabled);

    [LibraryImport(Lib)]
    internal static partial int ats_grad_mode_enabled();

    [LibraryImport(Lib)]
    internal static partial int ats_generator_new(ulong seed, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_generator_default(out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial void ats_generator_free(IntPtr g);

    [LibraryImport(Lib)]
    internal static partial int ats_generator_manual_seed(IntPtr g, ulong seed);

    [LibraryImport(Lib)]
    internal static partial int ats_generator_initial_seed(IntPtr g, out ulong seed);

    [LibraryImport(Lib)]
    internal static partial int ats_generator_get_state(IntPtr g, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_generator_set_state(IntPtr g, IntPtr state);
}
