using System.Globalization;
using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;

namespace AlgoPerf.Contracts.Configuration;

/// <summary>
/// The product's Akka logger (<c>akka.loggers</c> in <c>reference.conf</c>): one line per log event, to <see cref="LogOutput"/> (standard error unless a verb routes it),
/// <c>HH:mm:ss.fff LEVEL source: message</c> (and the exception, if any), so that standard output keeps only what a
/// command prints (score tables, JSON) and logs never interleave with it.
/// </summary>
public sealed class StandardErrorLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    /// <summary>Created by Akka.</summary>
    public StandardErrorLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e => LogOutput.Write(Severity(e), Format(e)));
    }

    /// <summary>The severity of one event.</summary>
    public static LogSeverity Severity(LogEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.LogLevel() switch
        {
            LogLevel.DebugLevel => LogSeverity.Debug,
            LogLevel.InfoLevel => LogSeverity.Info,
            LogLevel.WarningLevel => LogSeverity.Warning,
            _ => LogSeverity.Error,
        };
    }

    /// <summary>One log event as a line (with the cause's stack trace, when there is one).</summary>
    public static string Format(LogEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var level = LogOutput.Name(Severity(e));
        var source = e.LogSource.StartsWith("akka://", StringComparison.Ordinal) ? e.LogSource[(e.LogSource.IndexOf('/', 7) + 1)..] : e.LogSource;
        var line = string.Create(CultureInfo.InvariantCulture, $"{e.Timestamp:HH:mm:ss.fff} {level}: {source}: {e.Message}");
        return e.Cause is { } cause ? line + Environment.NewLine + cause : line;
    }
}
