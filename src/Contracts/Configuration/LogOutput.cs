namespace AlgoPerf.Contracts.Configuration;

/// <summary>The severity of a log line as the product routes it.</summary>
public enum LogSeverity
{
    /// <summary>Debug.</summary>
    Debug,

    /// <summary>Information.</summary>
    Info,

    /// <summary>Warning.</summary>
    Warning,

    /// <summary>Error.</summary>
    Error,
}

/// <summary>
/// Where the process's log lines go (Akka's through <see cref="StandardErrorLogger"/>, the trial runner's through the
/// Microsoft logger of the verb): standard error unless a verb routes them, as <c>algoperf run</c> does to keep every
/// line in the run's <c>run.log</c> and only warnings and errors on the terminal beside its progress view.
/// </summary>
public static class LogOutput
{
    private static volatile Action<LogSeverity, string> s_sink = (_, line) => Console.Error.WriteLine(line);

    /// <summary>The severity as log lines spell it: <c>debug</c>, <c>info</c>, <c>warning</c>, <c>error</c>.</summary>
    public static string Name(LogSeverity severity) => severity switch
    {
        LogSeverity.Debug => "debug",
        LogSeverity.Info => "info",
        LogSeverity.Warning => "warning",
        _ => "error",
    };

    /// <summary>Writes one line (thread-safe as the sink is).</summary>
    public static void Write(LogSeverity severity, string line) => s_sink(severity, line);

    /// <summary>Routes every line to <paramref name="sink"/> until the returned handle is disposed (then back to what it was).</summary>
    public static IDisposable Route(Action<LogSeverity, string> sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var before = s_sink;
        s_sink = sink;
        return new Restore(before);
    }

    private sealed class Restore(Action<LogSeverity, string> before) : IDisposable
    {
        public void Dispose() => s_sink = before;
    }
}
