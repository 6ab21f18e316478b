namespace AlgoPerf.Actors;

/// <summary>An actor's constructor or PreStart threw; the default decider stops the actor.</summary>
public sealed class ActorInitializationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ActorInitializationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ActorInitializationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ActorInitializationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
