namespace AlgoPerf.Actors;

/// <summary>The actor received Kill; the default decider stops it.</summary>
public sealed class ActorKilledException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ActorKilledException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ActorKilledException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ActorKilledException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
