namespace AlgoPerf.Seed.Cli;

/// <summary>What every verb may use: the output streams and the clock. Injected so verbs are testable in-process.</summary>
internal sealed record CliContext(TextWriter Out, TextWriter Error, TimeProvider Time)
{
    /// <summary>The process's console streams and the system clock.</summary>
    public static CliContext Console() => new(System.Console.Out, System.Console.Error, TimeProvider.System);
}
