namespace AlgoPerf.Trainer.Timing;

/// <summary>An exception that ended a trial or skipped an eval, kept as data.</summary>
/// <param name="Phase">Where it happened: <c>data_selection</c>, <c>update_params</c>, <c>prepare_for_eval</c>, <c>eval</c> or <c>logging</c>.</param>
/// <param name="GlobalStep">The step count when it happened.</param>
/// <param name="ExceptionType">The exception's full type name.</param>
/// <param name="Message">The exception's message.</param>
/// <param name="Details">The exception's full text, with the stack trace and inner exceptions.</param>
public sealed record TrialFailure(string Phase, long GlobalStep, string ExceptionType, string Message, string Details)
{
    /// <summary>Captures an exception thrown in a phase.</summary>
    public static TrialFailure From(string phase, long globalStep, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new TrialFailure(phase, globalStep, exception.GetType().FullName ?? exception.GetType().Name, exception.Message, exception.ToString());
    }
}
