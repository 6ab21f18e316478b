using System.Reflection;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Running;

/// <summary>
/// What the tensor library is on this machine: TorchSharp's and LibTorch's versions, the devices, and whether the
/// build applied the libstdc++ compatibility step (<c>docs/torchsharp.md</c>) to <c>libLibTorchSharp.so</c>.
/// </summary>
public static class TorchEnvironment
{
    /// <summary>The file the compatibility step writes next to the native libraries.</summary>
    public const string CompatMarker = "algoperf-compat.json";

    /// <summary>Loads LibTorch (CPU), so that a machine that cannot run trials fails before any trial starts.</summary>
    /// <exception cref="IOException">The native libraries do not load; the message says what to run.</exception>
    public static void EnsureLoaded()
    {
        try
        {
            InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or BadImageFormatException)
        {
            throw new IOException(
                $"TorchSharp's native libraries do not load ({e.Message}); run scripts/bootstrap.sh, which builds them with the compatibility step", e);
        }
    }

    /// <summary>
    /// Tensors alive in this process: TorchSharp's <c>Tensor.TotalCount</c> less the parameters' source tensors it keeps
    /// counting (<see cref="Models.Layers.ParameterObjectsCreated"/>). What leak checks compare.
    /// </summary>
    public static long LiveTensors => Tensor.TotalCount - Models.Layers.ParameterObjectsCreated;

    /// <summary>LibTorch's version, e.g. <c>2.10.0</c>.</summary>
    public static string LibTorchVersion => Version.TryParse(__version__, out var v) ? v.ToString(3) : __version__;

    /// <summary>The TorchSharp assembly's informational version, e.g. <c>0.107.0</c>.</summary>
    public static string TorchSharpVersion
    {
        get
        {
            var assembly = typeof(torch).Assembly;
            var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            return (informational ?? assembly.GetName().Version?.ToString() ?? "unknown").Split('+')[0];
        }
    }

    /// <summary>The CUDA devices LibTorch sees (0 on a CPU build or a machine without a GPU).</summary>
    public static int CudaDevices => cuda.is_available() ? cuda.device_count() : 0;

    /// <summary>
    /// Whether the compatibility step was applied to the native library this process loads, with the reason the
    /// step wrote; (null, reason) when the marker is missing or unreadable.
    /// </summary>
    public static (bool? Applied, string Reason) CompatStep()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", CompatMarker);
        if (!File.Exists(path))
        {
            return (null, $"{path} is missing");
        }

        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var root = json.RootElement;
            return (root.GetProperty("applied").GetBoolean(), root.TryGetProperty("reason", out var r) ? r.GetString() ?? string.Empty : string.Empty);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            return (null, $"{path}: {e.Message}");
        }
    }
}
