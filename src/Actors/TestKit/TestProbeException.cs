namespace AlgoPerf.Actors.TestKit;

/// <summary>A failed TestKit expectation: names the probe, what was expected and what arrived (or that nothing did).</summary>
public sealed class TestProbeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TestProbeException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TestProbeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public TestProbeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
