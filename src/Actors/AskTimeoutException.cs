namespace AlgoPerf.Actors;

/// <summary>No reply arrived within an Ask's timeout.</summary>
public sealed class AskTimeoutException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AskTimeoutException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public AskTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public AskTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
