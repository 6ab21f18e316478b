using System.Diagnostics;

namespace AlgoPerf.Integration.Tests;

/// <summary>Starts a .NET assembly as a child process with the host running the tests, both outputs redirected.</summary>
internal static class DotnetChild
{
    /// <summary>Starts <c>dotnet ASSEMBLY ARGS</c>; the caller reads (or drains) both outputs and disposes the process.</summary>
    public static Process Start(string assembly, params string[] arguments)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h
            : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"cannot start {host} {assembly}");
    }
}
