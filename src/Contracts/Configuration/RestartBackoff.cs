using Akka.Configuration;

namespace AlgoPerf.Contracts.Configuration;

/// <summary>
/// How a back-off supervisor restarts a persistent actor (HOCON <c>algoperf.restart-backoff</c>): a persistent actor
/// stops when a write's outcome is unknown or its recovery fails, and the restart recovers what landed.
/// </summary>
/// <param name="Min">The first wait.</param>
/// <param name="Max">The longest wait (the wait doubles up to it).</param>
/// <param name="RandomFactor">Up to this fraction of jitter is added.</param>
public sealed record RestartBackoff(TimeSpan Min, TimeSpan Max, double RandomFactor)
{
    /// <summary>Binds and checks <c>algoperf.restart-backoff</c> of a configuration loaded from <paramref name="source"/>.</summary>
    /// <exception cref="InvalidDataException">A missing or invalid value, naming the file and the key.</exception>
    public static RestartBackoff FromConfig(Config config, string source)
    {
        var b = new ConfigReader(config, source, "algoperf.restart-backoff");
        var backoff = new RestartBackoff(b.Duration("min"), b.Duration("max"), b.Double("random-factor"));
        b.Require(backoff.Min > TimeSpan.Zero, "min", "must be above 0");
        b.Require(backoff.Max >= backoff.Min, "max", "must be at least min");
        b.Require(backoff.RandomFactor is >= 0 and <= 1, "random-factor", "must be between 0 and 1");
        return backoff;
    }
}
