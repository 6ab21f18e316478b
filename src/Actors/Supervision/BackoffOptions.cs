namespace AlgoPerf.Actors.Supervision;

/// <summary>
/// Settings of a <see cref="BackoffSupervisor"/>: delay n is <c>min(MaxBackoff, MinBackoff * 2^n) * (1 + r * RandomFactor)</c>
/// with r uniform in [0, 1); the count goes back to zero once a child has lived for <see cref="ResetBackoffAfter"/>.
/// </summary>
/// <param name="ChildProps">The child to keep alive.</param>
/// <param name="ChildName">Its name.</param>
/// <param name="MinBackoff">First delay.</param>
/// <param name="MaxBackoff">Largest delay (before the random factor).</param>
/// <param name="RandomFactor">Jitter, 0 to 1 (0.2 adds up to 20 %).</param>
public sealed record BackoffOptions(Props ChildProps, string ChildName, TimeSpan MinBackoff, TimeSpan MaxBackoff, double RandomFactor)
{
    /// <summary>Restart on stop or on failure.</summary>
    public BackoffMode Mode { get; init; } = BackoffMode.OnStop;

    /// <summary>A child alive this long resets the delay to <see cref="MinBackoff"/> (null: <see cref="MinBackoff"/>, as Akka).</summary>
    public TimeSpan? ResetBackoffAfter { get; init; }

    /// <summary>Restarts before the supervisor gives up and stops (-1: never gives up).</summary>
    public int MaxNrOfRetries { get; init; } = -1;

    /// <summary>For <see cref="BackoffMode.OnFailure"/>: which failures restart with back-off (default decider when null).</summary>
    public Func<Exception, Directive>? Decider { get; init; }

    /// <summary>Uniform [0, 1) source for the jitter (tests make it deterministic).</summary>
    public Func<double> Random { get; init; } = System.Random.Shared.NextDouble;

    /// <summary>The delay before restart number <paramref name="restartCount"/> (0-based) for jitter <paramref name="random"/>.</summary>
    public TimeSpan Delay(int restartCount, double random)
    {
        var exponential = restartCount >= 30 ? MaxBackoff : TimeSpan.FromTicks((long)Math.Min(MaxBackoff.Ticks, MinBackoff.Ticks * Math.Pow(2, restartCount)));
        return exponential * (1.0 + (random * RandomFactor));
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public BackoffOptions Validate()
    {
        ArgumentNullException.ThrowIfNull(ChildProps);
        ArgumentException.ThrowIfNullOrWhiteSpace(ChildName);
        if (MinBackoff <= TimeSpan.Zero || MaxBackoff < MinBackoff)
        {
            throw new ArgumentException($"backoff needs 0 < min-backoff <= max-backoff (got {MinBackoff}, {MaxBackoff})", nameof(MinBackoff));
        }

        if (RandomFactor is < 0 or > 1 || double.IsNaN(RandomFactor))
        {
            throw new ArgumentException($"random-factor must be within [0, 1] (got {RandomFactor})", nameof(RandomFactor));
        }

        return this;
    }
}
