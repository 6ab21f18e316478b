using AlgoPerf.Contracts.Configuration;

namespace AlgoPerf.Seed.Cli;

/// <summary>
/// Routes every log line of the process (<see cref="LogOutput"/>: Akka's and the trial runner's) to a log file, and
/// warnings and errors also to a callback (the terminal), until disposed.
/// </summary>
internal sealed class LogFileRoute : IDisposable
{
    private readonly StreamWriter _file;
    private readonly IDisposable _route;
    private readonly Lock _gate = new();

    /// <summary>Appends to <paramref name="path"/>; <paramref name="warning"/> gets each warning or error line.</summary>
    public LogFileRoute(string path, Action<string> warning)
    {
        ArgumentNullException.ThrowIfNull(warning);
        _file = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        _route = LogOutput.Route((severity, line) =>
        {
            lock (_gate)
            {
                try
                {
                    _file.WriteLine(line);
                }
                catch (ObjectDisposedException)
                {
                    // A line logged after the log closed (a late actor during shutdown): the terminal has the warnings.
                }
            }

            if (severity >= LogSeverity.Warning)
            {
                warning(line);
            }
        });
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _route.Dispose();
        lock (_gate)
        {
            _file.Dispose();
        }
    }
}
