using System.Globalization;
using System.Runtime.InteropServices;

namespace AlgoPerf.Trainer.Logging;

/// <summary>
/// The machine facts <c>meta_data_N.json</c> records (the reference's <c>_get_utilization</c>,
/// <c>_get_system_software_info</c> and <c>_get_system_hardware_info</c>), as far as they can be read without
/// psutil: memory and network counters from <c>/proc</c>, the CPU model from <c>/proc/cpuinfo</c>.
/// <c>dotnet_version</c> stands where the reference writes <c>python_version</c>.
/// </summary>
/// <param name="Utilization">Ordered <c>cpu.*</c>, <c>mem.*</c>, <c>net.*</c> (and <c>gpu.*</c>) entries.</param>
/// <param name="OsPlatform">Like Python's <c>platform.platform()</c>: <c>Linux-&lt;release&gt;-&lt;machine&gt;</c>.</param>
/// <param name="DotnetVersion">The .NET runtime version.</param>
/// <param name="GitBranch">The source branch, when known.</param>
/// <param name="GitCommitHash">The source commit, when known.</param>
/// <param name="CpuModelName">The CPU model, when known.</param>
/// <param name="CpuCount">Logical processors available to the process.</param>
/// <param name="GpuModelName">The GPU model, when a GPU is used.</param>
/// <param name="GpuCount">Number of GPUs, when a GPU is used.</param>
/// <param name="GpuDriver">The GPU driver version, when known.</param>
public sealed record SystemInfo(
    IReadOnlyList<KeyValuePair<string, LogValue>> Utilization,
    string OsPlatform,
    string DotnetVersion,
    string? GitBranch,
    string? GitCommitHash,
    string? CpuModelName,
    int CpuCount,
    string? GpuModelName = null,
    int? GpuCount = null,
    string? GpuDriver = null)
{
    /// <summary>Reads what this machine exposes; values that cannot be read are left out, as the reference does.</summary>
    public static SystemInfo Probe(string? gitBranch = null, string? gitCommitHash = null)
    {
        var utilization = new List<KeyValuePair<string, LogValue>>();
        var cpuInfo = ReadOrEmpty("/proc/cpuinfo");
        if (Field(cpuInfo, "cpu MHz") is { } mhz && double.TryParse(mhz, NumberStyles.Float, CultureInfo.InvariantCulture, out var freq))
        {
            utilization.Add(new("cpu.freq.current", freq));
        }

        var memInfo = ReadOrEmpty("/proc/meminfo");
        if (Kilobytes(memInfo, "MemTotal") is long total && Kilobytes(memInfo, "MemAvailable") is long available)
        {
            // psutil: used = total - free - buffers - cached; percent = (total - available) / total * 100, one decimal.
            var used = total - (Kilobytes(memInfo, "MemFree") ?? 0) - (Kilobytes(memInfo, "Buffers") ?? 0) - (Kilobytes(memInfo, "Cached") ?? 0);
            utilization.Add(new("mem.total", total));
            utilization.Add(new("mem.available", available));
            utilization.Add(new("mem.used", used));
            utilization.Add(new("mem.percent_used", Math.Round((total - available) * 100.0 / total, 1)));
        }

        if (NetworkBytes() is (long sent, long received))
        {
            utilization.Add(new("net.bytes_sent_since_boot", sent));
            utilization.Add(new("net.bytes_recv_since_boot", received));
        }

        var release = ReadOrEmpty("/proc/sys/kernel/osrelease").Trim();
        var machine = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x86_64",
            Architecture.Arm64 => "aarch64",
            var other => other.ToString().ToLowerInvariant(),
        };
        var platform = OperatingSystem.IsLinux() && release.Length > 0 ? $"Linux-{release}-{machine}" : $"{RuntimeInformation.OSDescription}-{machine}";
        return new SystemInfo(utilization, platform, Environment.Version.ToString(), gitBranch, gitCommitHash, Field(cpuInfo, "model name"), Environment.ProcessorCount);
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private static string? Field(string text, string name)
    {
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim() == name)
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    private static long? Kilobytes(string memInfo, string name) =>
        Field(memInfo, name) is { } v && long.TryParse(v.Split(' ')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : null;

    private static (long Sent, long Received)? NetworkBytes()
    {
        var lines = ReadOrEmpty("/proc/net/dev").Split('\n');
        long sent = 0, received = 0;
        var any = false;
        foreach (var line in lines.Skip(2))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var fields = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 9
                && long.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var rx)
                && long.TryParse(fields[8], NumberStyles.Integer, CultureInfo.InvariantCulture, out var tx))
            {
                received += rx;
                sent += tx;
                any = true;
            }
        }

        return any ? (sent, received) : null;
    }
}
