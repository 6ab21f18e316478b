namespace AlgoPerf.Actors.Configuration;

/// <summary>
/// Bad configuration: a syntax error, an unresolved substitution, a missing setting or a value of the wrong kind.
/// The message starts with <c>file:line:column</c> where the value (or error) is, and names the setting's path.
/// </summary>
public sealed class HoconException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public HoconException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public HoconException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public HoconException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>An error at <paramref name="origin"/>.</summary>
    public HoconException(HoconOrigin origin, string message)
        : base($"{origin}: {message}")
    {
        Origin = origin;
    }

    /// <summary>Where the error is, when known.</summary>
    public HoconOrigin? Origin { get; }
}
