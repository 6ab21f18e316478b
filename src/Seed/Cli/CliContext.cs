using Spectre.Console;

namespace AlgoPerf.Seed.Cli;

/// <summary>What every verb may use: the output streams and the clock. Injected so verbs are testable in-process.</summary>
internal sealed record CliContext(TextWriter Out, TextWriter Error, TimeProvider Time)
{
    /// <summary>True when standard output is a terminal a live view can redraw.</summary>
    public bool IsTerminal { get; init; }

    /// <summary>The console the live progress view draws on (Spectre.Console over <see cref="Out"/> unless set).</summary>
    public IAnsiConsole Terminal
    {
        get => field ??= AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Out) });
        init;
    }

    /// <summary>The process's console streams and the system clock.</summary>
    public static CliContext Console() => new(System.Console.Out, System.Console.Error, TimeProvider.System)
    {
        IsTerminal = !System.Console.IsOutputRedirected,
        Terminal = AnsiConsole.Console,
    };
}
