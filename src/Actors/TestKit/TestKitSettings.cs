using System.Globalization;
using AlgoPerf.Actors.Configuration;

namespace AlgoPerf.Actors.TestKit;

/// <summary>
/// Timeouts of the TestKit (HOCON path <c>algoperf.test</c>). Every timeout is multiplied by
/// <see cref="TimeFactor"/>, taken from the environment variable <c>ALGOPERF_TEST_TIMEFACTOR</c> (slow CI sets e.g. 3).
/// </summary>
public sealed record TestKitSettings
{
    /// <summary>The environment variable that stretches every TestKit timeout.</summary>
    public const string TimeFactorVariable = "ALGOPERF_TEST_TIMEFACTOR";

    /// <summary>Defaults with the time factor from the environment.</summary>
    public static TestKitSettings Current { get; } = new TestKitSettings { TimeFactor = TimeFactorFromEnvironment() }.Validate();

    /// <summary>Multiplier for every timeout (Akka <c>timefactor = 1.0</c>).</summary>
    public double TimeFactor { get; init; } = 1.0;

    /// <summary>Default wait of one expectation (Akka <c>single-expect-default = 3 s</c>).</summary>
    public TimeSpan SingleExpectDefault { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Default wait of longer operations (Akka <c>default-timeout = 5 s</c>).</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><paramref name="duration"/> stretched by <see cref="TimeFactor"/>.</summary>
    public TimeSpan Dilated(TimeSpan duration) => duration * TimeFactor;

    /// <summary>Binds <c>algoperf.test</c> of a resolved configuration and validates it.</summary>
    public static TestKitSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var c = config.GetConfig("algoperf.test");
        var factor = c.GetDouble("timefactor");
        c.Require(factor >= 1.0 && !double.IsInfinity(factor), "timefactor", "must be a number >= 1");
        var single = c.GetDuration("single-expect-default");
        c.Require(single > TimeSpan.Zero, "single-expect-default", "must be positive");
        var timeout = c.GetDuration("default-timeout");
        c.Require(timeout > TimeSpan.Zero, "default-timeout", "must be positive");
        return new TestKitSettings { TimeFactor = factor, SingleExpectDefault = single, DefaultTimeout = timeout }.Validate();
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public TestKitSettings Validate()
    {
        if (!(TimeFactor >= 1.0) || double.IsInfinity(TimeFactor))
        {
            throw new ArgumentException($"timefactor must be a number >= 1 (got {TimeFactor.ToString(CultureInfo.InvariantCulture)})", nameof(TimeFactor));
        }

        if (SingleExpectDefault <= TimeSpan.Zero || DefaultTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("single-expect-default and default-timeout must be positive", nameof(SingleExpectDefault));
        }

        return this;
    }

    /// <summary>Reads <c>ALGOPERF_TEST_TIMEFACTOR</c> (1.0 when unset); a malformed value is an error, not a silent 1.</summary>
    public static double TimeFactorFromEnvironment()
    {
        var raw = Environment.GetEnvironmentVariable(TimeFactorVariable);
        if (string.IsNullOrWhiteSpace(raw))
        {
            return 1.0;
        }

        return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f >= 1.0
            ? f
            : throw new FormatException($"{TimeFactorVariable} must be a number >= 1 (got '{raw}')");
    }
}
