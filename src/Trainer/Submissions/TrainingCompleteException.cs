namespace AlgoPerf.Trainer.Submissions;

/// <summary>
/// Thrown by a submission's update to end training early (the reference's <c>spec.TrainingCompleteError</c>).
/// The runner gives one final eval if time remains and stops; a target not reached by then scores infinity.
/// </summary>
public sealed class TrainingCompleteException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public TrainingCompleteException()
        : base("the submission ended training")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TrainingCompleteException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public TrainingCompleteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
