using Akka.Event;

namespace AlgoPerf.Contracts.Configuration;

/// <summary>
/// Akka's fallback logger (<c>akka.stdout-logger-class</c> in <c>reference.conf</c>), used before the product's
/// <see cref="StandardErrorLogger"/> starts and for the events still queued for it when it stops at shutdown: warnings
/// and errors go to <see cref="LogOutput"/> like every other log line, the rest is dropped. Akka's own
/// <c>StandardOutLogger</c> printed those leftover events to standard output, after a command's score table.
/// </summary>
public sealed class StandardErrorMinimalLogger : MinimalLogger
{
    /// <inheritdoc />
    protected override void Log(object message)
    {
        if (message is LogEvent e && StandardErrorLogger.Severity(e) >= LogSeverity.Warning)
        {
            LogOutput.Write(StandardErrorLogger.Severity(e), StandardErrorLogger.Format(e));
        }
    }
}
