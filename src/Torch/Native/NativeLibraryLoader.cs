using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace AlgoPerf.Torch;

/// <summary>
/// Resolves the native shim (<c>libalgoperf_torch.so</c>) for every <c>[LibraryImport]</c> of this assembly. Every path
/// tried goes into the exception when none loads, so a missing build or a broken libtorch install is diagnosable from
/// the message alone (TorchSharp's <c>LoadNativeBackend</c> lesson).
/// </summary>
internal static class NativeLibraryLoader
{
    internal const string ShimName = "algoperf_torch";
    internal const string ShimFile = "libalgoperf_torch.so";

    /// <summary>Environment variable naming the shim file explicitly (k8s images, custom builds).</summary>
    internal const string ShimPathVariable = "ALGOPERF_TORCH_SHIM";

    private static int s_registered;

    internal static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 0)
        {
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != ShimName)
        {
            return IntPtr.Zero;
        }

        var trace = new StringBuilder();
        foreach (var candidate in Candidates())
        {
            if (!File.Exists(candidate))
            {
                trace.Append("  not found: ").AppendLine(candidate);
                continue;
            }

            if (NativeLibrary.TryLoad(candidate, out var handle))
            {
                return handle;
            }

            // TryLoad hides dlerror(); Load throws with it, which is what a user needs to fix a missing libtorch.
            try
            {
                return NativeLibrary.Load(candidate);
            }
            catch (DllNotFoundException e)
            {
                trace.Append("  failed: ").Append(candidate).Append(": ").AppendLine(e.Message);
            }
        }

        throw new DllNotFoundException(
            $"could not load the libtorch shim {ShimFile}. Build it with scripts/bootstrap.sh (or set {ShimPathVariable}). Tried:{Environment.NewLine}{trace}");
    }

    private static IEnumerable<string> Candidates()
    {
        var explicitPath = Environment.GetEnvironmentVariable(ShimPathVariable);
        if (!string.IsNullOrEmpty(explicitPath))
        {
            yield return Path.GetFullPath(explicitPath);
        }

        yield return Path.Combine(AppContext.BaseDirectory, ShimFile);

        // A development checkout: <repo>/build/native/, found by walking up from the binary.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "build", "native", ShimFile);
            if (File.Exists(path))
            {
                yield return path;
                yield break;
            }
        }
    }
}
