using AlgoPerf.Actors.Supervision;
using Microsoft.Extensions.Logging;

namespace AlgoPerf.Actors.Internal;

/// <summary>The runtime's log messages (source-generated, with stable event ids 1000-1099).</summary>
internal static partial class LogMessages
{
    [LoggerMessage(1000, LogLevel.Error, "Actor {Path} failed; supervisor directive {Directive}")]
    public static partial void ChildFailed(ILogger logger, string path, Directive directive, Exception exception);

    [LoggerMessage(1001, LogLevel.Warning, "Actor {Path} failed and is resumed")]
    public static partial void ChildResumed(ILogger logger, string path, Exception exception);

    [LoggerMessage(1002, LogLevel.Warning, "Actor {Path} failed while stopping; the failure is ignored")]
    public static partial void FailureWhileStopping(ILogger logger, string path, Exception exception);

    [LoggerMessage(1003, LogLevel.Warning, "Actor {Path} failed again while its supervisor was deciding; the failure is ignored")]
    public static partial void FailureWhileFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(1004, LogLevel.Error, "PreRestart of {Path} threw")]
    public static partial void PreRestartFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(1005, LogLevel.Error, "PostStop of {Path} threw")]
    public static partial void PostStopFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(1006, LogLevel.Debug, "Dedicated thread of {Path} released")]
    public static partial void PinnedThreadReleased(ILogger logger, string path);

    [LoggerMessage(1007, LogLevel.Information, "Message {MessageType} from {Sender} to {Recipient} was not delivered; {Count} dead letters so far")]
    public static partial void DeadLetter(ILogger logger, string messageType, string sender, string recipient, long count);

    [LoggerMessage(1008, LogLevel.Information, "Dead letters: further ones are counted but not logged (limit {Limit})")]
    public static partial void DeadLetterLimit(ILogger logger, int limit);

    [LoggerMessage(1009, LogLevel.Debug, "Unhandled message {MessageType} from {Sender} to {Recipient}")]
    public static partial void Unhandled(ILogger logger, string messageType, string sender, string recipient);

    [LoggerMessage(1010, LogLevel.Error, "Top-level actor {Path} escalated a failure; it is stopped")]
    public static partial void GuardianEscalated(ILogger logger, string path, Exception exception);

    [LoggerMessage(1011, LogLevel.Information, "Coordinated shutdown: phase {Phase} starts ({Reason})")]
    public static partial void ShutdownPhase(ILogger logger, string phase, string reason);

    [LoggerMessage(1012, LogLevel.Warning, "Coordinated shutdown: phase {Phase} timed out after {Timeout}; continuing")]
    public static partial void ShutdownPhaseTimeout(ILogger logger, string phase, TimeSpan timeout);

    [LoggerMessage(1013, LogLevel.Warning, "Coordinated shutdown: task {Task} of phase {Phase} failed; continuing")]
    public static partial void ShutdownTaskFailed(ILogger logger, string task, string phase, Exception exception);
}
