using System.Globalization;
using AlgoPerf.Contracts.Configuration;
using Microsoft.Extensions.Logging;

namespace AlgoPerf.Seed.Cli;

/// <summary>
/// Microsoft.Extensions.Logging into <see cref="LogOutput"/>, in the same line format as Akka's log lines
/// (<c>HH:mm:ss.fff level: category message</c>), so both reach the same place.
/// </summary>
internal sealed class LogOutputLoggerProvider(TimeProvider time) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, time);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, TimeProvider time) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var severity = logLevel switch
            {
                LogLevel.Information => LogSeverity.Info,
                LogLevel.Warning => LogSeverity.Warning,
                _ => LogSeverity.Error,
            };
            var line = string.Create(CultureInfo.InvariantCulture, $"{time.GetUtcNow():HH:mm:ss.fff} {LogOutput.Name(severity)}: {category} {formatter(state, exception)}");
            LogOutput.Write(severity, exception is null ? line : line + Environment.NewLine + exception);
        }
    }
}
