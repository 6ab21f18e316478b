using System.Diagnostics;
using System.Globalization;

namespace AlgoPerf.Trainer.Tests.Distributed;

/// <summary>
/// One rank of a gang in a child process: tests/DistributedRankHost's dll, started with <c>dotnet</c>, from the same
/// build output as this test assembly (bin/AlgoPerf.DistributedRankHost/&lt;config&gt;/). Killed on dispose if it still runs.
/// </summary>
internal sealed class RankHostProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;

    private RankHostProcess(Process process)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>The rank host's dll.</summary>
    public static string Dll
    {
        get
        {
            var config = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return Path.Combine(config.Parent!.Parent!.FullName, "AlgoPerf.DistributedRankHost", config.Name, "AlgoPerf.DistributedRankHost.dll");
        }
    }

    /// <summary>Starts rank <paramref name="rank"/> in mode <paramref name="mode"/> (see the host's Program.cs).</summary>
    public static RankHostProcess Start(string mode, int rank, int world, string store, string gang, TimeSpan timeout, params string[] options)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[]
        {
            Dll, mode, "--rank", rank.ToString(CultureInfo.InvariantCulture), "--world", world.ToString(CultureInfo.InvariantCulture),
            "--store", store, "--gang", gang, "--bind", "127.0.0.1", "--timeout-s", timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(a);
        }

        foreach (var option in options)
        {
            start.ArgumentList.Add(option);
        }

        return new RankHostProcess(Process.Start(start)!);
    }

    /// <summary>The next line the rank prints, or null at its end; fails after <paramref name="limit"/>.</summary>
    public async Task<string?> ReadLineAsync(TimeSpan limit)
    {
        using var cancel = new CancellationTokenSource(limit);
        return await _process.StandardOutput.ReadLineAsync(cancel.Token);
    }

    /// <summary>Waits for the rank's end, at most <paramref name="limit"/> (then kills it and fails): its exit code and outputs.</summary>
    public async Task<(int Code, string Stdout, string Stderr)> WaitForExitAsync(TimeSpan limit)
    {
        var stdout = _process.StandardOutput.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"the rank host did not end within {limit.TotalSeconds} s; its standard error: {await _stderr}");
        }

        return (_process.ExitCode, await stdout, await _stderr);
    }

    /// <summary>Kills the rank with SIGKILL.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>What the rank wrote to standard error so far, once it has ended.</summary>
    public Task<string> StderrAsync() => _stderr;

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
        _process.Dispose();
    }
}
