namespace AlgoPerf.Seed.Cli;

/// <summary>Bad command-line input: printed as one line to stderr, exit code 2.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException()
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
