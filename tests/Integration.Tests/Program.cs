using AlgoPerf.Integration.Tests.Persistence;

namespace AlgoPerf.Integration.Tests;

/// <summary>
/// The test assembly's entry point, used only when a test starts this assembly as a child process
/// (<c>dotnet AlgoPerf.Integration.Tests.dll MODE ...</c>); the test runner never calls it.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == JournalCrashChild.Mode)
        {
            return await JournalCrashChild.RunAsync(args[1..]);
        }

        await Console.Error.WriteLineAsync($"usage: dotnet AlgoPerf.Integration.Tests.dll {JournalCrashChild.Mode} DB_PATH STREAMS");
        return 2;
    }
}
