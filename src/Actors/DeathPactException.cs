namespace AlgoPerf.Actors;

/// <summary>The actor did not handle a Terminated message of an actor it watched; the default decider stops it.</summary>
public sealed class DeathPactException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DeathPactException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DeathPactException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public DeathPactException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
