using AlgoPerf.Actors.Configuration;
using AlgoPerf.Actors.Pattern;

namespace AlgoPerf.Actors.Persistence;

/// <summary>Settings of event-sourced actors (HOCON path <c>algoperf.persistence</c>, storage excluded).</summary>
public sealed record PersistenceSettings
{
    /// <summary>Akka's defaults.</summary>
    public static PersistenceSettings Default { get; } = new();

    /// <summary>Idle timeout between replayed events (not a total); Akka <c>recovery-event-timeout = 30 s</c>.</summary>
    public TimeSpan RecoveryEventTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Recoveries running at once; Akka <c>max-concurrent-recoveries = 50</c>.</summary>
    public int MaxConcurrentRecoveries { get; init; } = 50;

    /// <summary>Events per journal round trip during replay.</summary>
    public int ReplayBatchSize { get; init; } = 1000;

    /// <summary>First restart delay after a write failure.</summary>
    public TimeSpan RestartMinBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest restart delay after write failures.</summary>
    public TimeSpan RestartMaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Jitter of the restart delay (0 to 1).</summary>
    public double RestartRandomFactor { get; init; } = 0.2;

    /// <summary>The breaker in front of the journal (<c>journal-circuit-breaker</c>; Akka: 10 failures, 10 s, 30 s).</summary>
    public CircuitBreakerSettings JournalCircuitBreaker { get; init; } = CircuitBreakerSettings.JournalDefault;

    /// <summary>The breaker in front of the snapshot store (<c>snapshot-store-circuit-breaker</c>; Akka: 5, 20 s, 60 s).</summary>
    public CircuitBreakerSettings SnapshotStoreCircuitBreaker { get; init; } = CircuitBreakerSettings.SnapshotStoreDefault;

    /// <summary>Binds <c>algoperf.persistence</c> of a resolved configuration and validates it.</summary>
    public static PersistenceSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var c = config.GetConfig("algoperf.persistence");
        var timeout = c.GetDuration("recovery-event-timeout");
        c.Require(timeout > TimeSpan.Zero, "recovery-event-timeout", "must be positive");
        var max = c.GetInt("max-concurrent-recoveries");
        c.Require(max >= 1, "max-concurrent-recoveries", "must be at least 1");
        var batch = c.GetInt("replay-batch-size");
        c.Require(batch >= 1, "replay-batch-size", "must be at least 1");
        var min = c.GetDuration("restart-backoff.min");
        c.Require(min > TimeSpan.Zero, "restart-backoff.min", "must be positive");
        var maxBackoff = c.GetDuration("restart-backoff.max");
        c.Require(maxBackoff >= min, "restart-backoff.max", "must be at least restart-backoff.min");
        var random = c.GetDouble("restart-backoff.random-factor");
        c.Require(random is >= 0 and <= 1, "restart-backoff.random-factor", "must be within [0, 1]");
        return new PersistenceSettings
        {
            RecoveryEventTimeout = timeout,
            MaxConcurrentRecoveries = max,
            ReplayBatchSize = batch,
            RestartMinBackoff = min,
            RestartMaxBackoff = maxBackoff,
            RestartRandomFactor = random,
            JournalCircuitBreaker = Breaker(c, "journal-circuit-breaker"),
            SnapshotStoreCircuitBreaker = Breaker(c, "snapshot-store-circuit-breaker"),
        };
    }

    private static CircuitBreakerSettings Breaker(Config persistence, string path)
    {
        var failures = persistence.GetInt(path + ".max-failures");
        persistence.Require(failures >= 1, path + ".max-failures", "must be at least 1");
        var call = persistence.GetDuration(path + ".call-timeout");
        persistence.Require(call > TimeSpan.Zero, path + ".call-timeout", "must be positive");
        var reset = persistence.GetDuration(path + ".reset-timeout");
        persistence.Require(reset > TimeSpan.Zero, path + ".reset-timeout", "must be positive");
        return new CircuitBreakerSettings(failures, call, reset);
    }
}
