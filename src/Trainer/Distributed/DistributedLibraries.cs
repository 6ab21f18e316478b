using System.Reflection;
using System.Runtime.InteropServices;

namespace AlgoPerf.Trainer.Distributed;

/// <summary>
/// The native libraries of the gang reducers, found by this assembly's one <see cref="DllImportResolver"/>:
/// <c>libalgoperf_gloo.so</c> next to this assembly (the build puts it there, native/gloo/), and NCCL and the CUDA
/// runtime by their sonames (CUDA hosts only). Every other library name falls through to the runtime's default
/// probing. .NET allows one resolver per assembly: another import of this assembly that needs one must be added here.
/// </summary>
internal static class DistributedLibraries
{
    /// <summary>The Gloo shim's import name.</summary>
    public const string Gloo = "algoperf_gloo";

    /// <summary>NCCL's import name.</summary>
    public const string Nccl = "nccl";

    /// <summary>The CUDA runtime's import name.</summary>
    public const string CudaRuntime = "cudart";

    /// <summary>The Gloo shim's file name.</summary>
    public const string GlooFile = "libalgoperf_gloo.so";

    private static readonly string[] s_ncclNames = ["libnccl.so.2", "libnccl.so"];
    private static readonly string[] s_cudaRuntimeNames = ["libcudart.so.13", "libcudart.so.12", "libcudart.so.11.0", "libcudart.so"];
    private static int s_registered;

    /// <summary>Where the Gloo shim is expected: next to this assembly.</summary>
    public static string GlooPath => Path.Combine(AssemblyDirectory, GlooFile);

    private static string AssemblyDirectory =>
        Path.GetDirectoryName(typeof(DistributedLibraries).Assembly.Location) is { Length: > 0 } directory ? directory : AppContext.BaseDirectory;

    /// <summary>Installs the resolver (once; idempotent). Call before the first call into one of these libraries.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 0)
        {
            NativeLibrary.SetDllImportResolver(typeof(DistributedLibraries).Assembly, Resolve);
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) => name switch
    {
        Gloo => NativeLibrary.TryLoad(GlooPath, out var handle) ? handle : IntPtr.Zero,
        Nccl => LoadFirst(s_ncclNames),
        CudaRuntime => LoadFirst([.. s_cudaRuntimeNames, .. BundledCudaRuntimes()]),
        _ => IntPtr.Zero,
    };

    private static IntPtr LoadFirst(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            if (NativeLibrary.TryLoad(name, out var handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero;
    }

    // LibTorch's CUDA builds carry the CUDA runtime under a hashed name (libcudart-<hash>.so.12) beside libtorch.
    private static IEnumerable<string> BundledCudaRuntimes()
    {
        var native = Path.Combine(AssemblyDirectory, "runtimes", "linux-x64", "native");
        return Directory.Exists(native) ? Directory.EnumerateFiles(native, "libcudart*.so*") : [];
    }
}
