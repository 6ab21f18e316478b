using AlgoPerf.Torch.PInvoke;

namespace AlgoPerf.Torch;

/// <summary>Process-wide libtorch settings: version, intra-op threads, the default generator's seed, scopes.</summary>
public static class TorchRuntime
{
    static TorchRuntime() => NativeLibraryLoader.EnsureRegistered();

    /// <summary>Loads the shim and libtorch now (they load lazily otherwise); throws with every path tried on failure.</summary>
    public static void EnsureLoaded() => _ = Version;

    /// <summary>libtorch's version, e.g. 1.13.1.</summary>
    public static Version Version
    {
        get
        {
            NativeError.Check(NativeMethods.ats_version(out var major, out var minor, out var patch));
            return new Version(major, minor, patch);
        }
    }

    /// <summary>
    /// libtorch's intra-op thread count (<c>torch.set_num_threads</c>). Setting it also sizes OpenBLAS's own GEMM thread
    /// pool when the process has OpenBLAS (see <see cref="BlasThreads"/>), which <c>torch.set_num_threads</c> leaves at
    /// the number of cores.
    /// </summary>
    public static int NumThreads
    {
        get => NativeMethods.ats_get_num_threads();
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            NativeError.Check(NativeMethods.ats_set_num_threads(value));
        }
    }

    /// <summary>OpenBLAS's GEMM thread count; -1 when libtorch's BLAS is not OpenBLAS.</summary>
    public static int BlasThreads => NativeMethods.ats_get_blas_threads();

    /// <summary>Seeds libtorch's default generators (<c>torch.manual_seed</c>).</summary>
    public static void ManualSeed(ulong seed) => NativeError.Check(NativeMethods.ats_manual_seed(seed));

    /// <summary>True when libtorch was built with CUDA and a GPU is visible (<c>torch.cuda.is_available()</c>).</summary>
    public static bool CudaIsAvailable => NativeMethods.ats_cuda_is_available() != 0;

    /// <summary>Whether autograd records operations on this thread.</summary>
    public static bool IsGradEnabled => NativeMethods.ats_grad_mode_enabled() != 0;

    /// <summary>Disables autograd on this thread until the scope is disposed (<c>with torch.no_grad():</c>).</summary>
    public static NoGradScope NoGrad()
    {
        NativeLibraryLoader.EnsureRegistered();
        return new NoGradScope(enabled: false);
    }

    /// <summary>Re-enables autograd on this thread inside a no-grad region (<c>with torch.enable_grad():</c>).</summary>
    public static NoGradScope EnableGrad()
    {
        NativeLibraryLoader.EnsureRegistered();
        return new NoGradScope(enabled: true);
    }

    /// <summary>Opens a <see cref="DisposeScope"/> on this thread.</summary>
    public static DisposeScope NewDisposeScope()
    {
        NativeLibraryLoader.EnsureRegistered();
        return new DisposeScope();
    }
}
