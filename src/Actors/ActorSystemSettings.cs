using AlgoPerf.Actors.Configuration;

namespace AlgoPerf.Actors;

/// <summary>Settings of an <see cref="ActorSystem"/> (HOCON path <c>algoperf.actors</c>).</summary>
public sealed record ActorSystemSettings
{
    /// <summary>Akka's defaults.</summary>
    public static ActorSystemSettings Default { get; } = new();

    /// <summary>User messages an actor handles per turn before yielding its thread (Akka <c>throughput = 30</c>).</summary>
    public int Throughput { get; init; } = 30;

    /// <summary>How many dead letters are logged before only counting (Akka <c>log-dead-letters = 10</c>; 0 = none).</summary>
    public int LogDeadLetters { get; init; } = 10;

    /// <summary>Default timeout of each coordinated-shutdown phase (Akka <c>default-phase-timeout = 5 s</c>).</summary>
    public TimeSpan ShutdownPhaseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Per-phase timeouts that differ from <see cref="ShutdownPhaseTimeout"/>, by phase name.</summary>
    public IReadOnlyDictionary<string, TimeSpan> ShutdownPhaseTimeouts { get; init; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);

    /// <summary>Binds <c>algoperf.actors</c> of a resolved configuration (with the reference defaults as fallback) and validates it.</summary>
    public static ActorSystemSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var c = config.GetConfig("algoperf.actors");
        var throughput = c.GetInt("throughput");
        c.Require(throughput >= 1, "throughput", "must be at least 1");
        var logDeadLetters = c.GetInt("log-dead-letters");
        c.Require(logDeadLetters >= 0, "log-dead-letters", "cannot be negative");
        var phaseTimeout = c.GetDuration("coordinated-shutdown.default-phase-timeout");
        c.Require(phaseTimeout > TimeSpan.Zero, "coordinated-shutdown.default-phase-timeout", "must be positive");
        var phases = c.GetConfig("coordinated-shutdown.phases");
        var timeouts = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var phase in phases.Keys)
        {
            phases.Require(Shutdown.CoordinatedShutdown.Phases.Contains(phase, StringComparer.Ordinal), phase, $"unknown phase; phases: {string.Join(", ", Shutdown.CoordinatedShutdown.Phases)}");
            var timeout = phases.GetDuration(phase + ".timeout");
            phases.Require(timeout > TimeSpan.Zero, phase + ".timeout", "must be positive");
            timeouts[phase] = timeout;
        }

        return new ActorSystemSettings
        {
            Throughput = throughput,
            LogDeadLetters = logDeadLetters,
            ShutdownPhaseTimeout = phaseTimeout,
            ShutdownPhaseTimeouts = timeouts,
        }.Validate();
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public ActorSystemSettings Validate()
    {
        if (Throughput < 1)
        {
            throw new ArgumentException($"throughput must be at least 1 (got {Throughput})", nameof(Throughput));
        }

        if (LogDeadLetters < 0)
        {
            throw new ArgumentException($"log-dead-letters cannot be negative (got {LogDeadLetters})", nameof(LogDeadLetters));
        }

        if (ShutdownPhaseTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"coordinated-shutdown.default-phase-timeout must be positive (got {ShutdownPhaseTimeout})", nameof(ShutdownPhaseTimeout));
        }

        foreach (var (phase, timeout) in ShutdownPhaseTimeouts)
        {
            if (!Shutdown.CoordinatedShutdown.Phases.Contains(phase, StringComparer.Ordinal))
            {
                throw new ArgumentException($"coordinated-shutdown.phases.{phase}: unknown phase; phases: {string.Join(", ", Shutdown.CoordinatedShutdown.Phases)}", nameof(ShutdownPhaseTimeouts));
            }

            if (timeout <= TimeSpan.Zero)
            {
                throw new ArgumentException($"coordinated-shutdown.phases.{phase}.timeout must be positive (got {timeout})", nameof(ShutdownPhaseTimeouts));
            }
        }

        return this;
    }
}
