namespace AlgoPerf.Actors;

/// <summary>A child name is empty, malformed, or already taken by a live (or stopping) child.</summary>
public sealed class InvalidActorNameException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InvalidActorNameException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public InvalidActorNameException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public InvalidActorNameException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
