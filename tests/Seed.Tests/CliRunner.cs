using AlgoPerf.Seed.Cli;

namespace AlgoPerf.Seed.Tests;

/// <summary>
/// Runs the <c>algoperf</c> CLI in process, as <c>Program.Main</c> does, and captures what it prints. Shared by the
/// command tests here and linked into Integration.Tests.
/// </summary>
internal static class CliRunner
{
    /// <summary>The exit code, standard output and standard error of <c>algoperf ARGS</c>.</summary>
    public static async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await Program.RunAsync(args, new CliContext(stdout, stderr, TimeProvider.System), CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
