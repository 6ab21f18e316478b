using System.Diagnostics;

namespace AlgoPerf.Tests.Shared;

/// <summary>Runs a program (a repository script, git) to its end and returns its exit code and both outputs.</summary>
internal static class ScriptProcess
{
    public static (int Code, string Stdout, string Stderr) Run(
        string workingDirectory, IReadOnlyDictionary<string, string>? environment, string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.GetAwaiter().GetResult());
    }
}
