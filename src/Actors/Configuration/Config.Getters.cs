using System.Globalization;

namespace AlgoPerf.Actors.Configuration;

public sealed partial class Config
{
    private static readonly (string[] Units, double Ticks)[] s_durationUnits =
    [
        (["ns", "nano", "nanos", "nanosecond", "nanoseconds"], 0.01),
        (["us", "micro", "micros", "microsecond", "microseconds"], 10),
        (["ms", "milli", "millis", "millisecond", "milliseconds"], TimeSpan.TicksPerMillisecond),
        (["s", "second", "seconds"], TimeSpan.TicksPerSecond),
        (["m", "minute", "minutes"], TimeSpan.TicksPerMinute),
        (["h", "hour", "hours"], TimeSpan.TicksPerHour),
        (["d", "day", "days"], TimeSpan.TicksPerDay),
    ];

    private static readonly (string[] Units, double Bytes)[] s_sizeUnits =
    [
        (["B", "b", "byte", "bytes"], 1),
        (["kB", "KB", "kilobyte", "kilobytes"], 1e3),
        (["K", "k", "Ki", "KiB", "kibibyte", "kibibytes"], 1024),
        (["MB", "megabyte", "megabytes"], 1e6),
        (["M", "m", "Mi", "MiB", "mebibyte", "mebibytes"], 1024.0 * 1024),
        (["GB", "gigabyte", "gigabytes"], 1e9),
        (["G", "g", "Gi", "GiB", "gibibyte", "gibibytes"], 1024.0 * 1024 * 1024),
        (["TB", "terabyte", "terabytes"], 1e12),
        (["T", "t", "Ti", "TiB", "tebibyte", "tebibytes"], 1024.0 * 1024 * 1024 * 1024),
    ];

    /// <summary>A string (numbers and booleans are returned as written).</summary>
    public string GetString(string path) => Scalar(path, "a string").Text;

    /// <summary>A 32-bit integer.</summary>
    public int GetInt(string path) => Parse<int>(path, "an integer", s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : (int?)null);

    /// <summary>A 64-bit integer.</summary>
    public long GetLong(string path) => Parse<long>(path, "an integer", s => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : (long?)null);

    /// <summary>A number.</summary>
    public double GetDouble(string path) => Parse<double>(path, "a number", s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : (double?)null);

    /// <summary>A boolean: true/false, on/off, yes/no.</summary>
    public bool GetBoolean(string path) => Parse<bool>(path, "a boolean (true/false, on/off, yes/no)", s => s switch
    {
        "true" or "on" or "yes" => true,
        "false" or "off" or "no" => false,
        _ => null,
    });

    /// <summary>A duration: a number and a unit (<c>500ms</c>, <c>10s</c>, <c>2 minutes</c>, <c>1.5h</c>); a bare number is milliseconds.</summary>
    public TimeSpan GetDuration(string path) => Parse(path, "a duration (e.g. 500ms, 10s, 2 minutes)", ParseDuration);

    /// <summary>A duration, or null when written <c>off</c>, <c>none</c> or <c>infinite</c>.</summary>
    public TimeSpan? GetOptionalDuration(string path)
    {
        var text = Scalar(path, "a duration or off").Text.Trim();
        return text is "off" or "none" or "infinite" ? null : GetDuration(path);
    }

    /// <summary>A size in bytes: <c>10MiB</c>, <c>512 KiB</c>, <c>1GB</c> (powers of 1000), <c>128000b</c>.</summary>
    public long GetBytes(string path) => Parse(path, "a size (e.g. 10MiB, 512KiB, 1GB)", ParseBytes);

    /// <summary>An array of strings.</summary>
    public IReadOnlyList<string> GetStringList(string path) => Find(path) switch
    {
        HoconArray a => [.. a.Items.Select((item, i) => item is HoconScalar { IsNull: false } s ? s.Text : throw WrongKind($"{path}[{i}]", item, "a string"))],
        null => throw Missing(path),
        var other => throw WrongKind(path, other, "an array"),
    };

    /// <summary>Throws a <see cref="HoconException"/> at the value of <paramref name="path"/> unless <paramref name="condition"/> holds (for validation in settings binders).</summary>
    public void Require(bool condition, string path, string requirement)
    {
        if (!condition)
        {
            var node = Find(path) ?? throw Missing(path);
            throw new HoconException(node.Origin, $"{FullPath(path)}: {requirement}");
        }
    }

    /// <summary>Where the value at <paramref name="path"/> was written.</summary>
    public HoconOrigin OriginOf(string path) => (Find(path) ?? throw Missing(path)).Origin;

    /// <summary>Parses a duration text (also for callers outside a configuration).</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (number, unit) = SplitNumber(text);
        if (number is null)
        {
            return null;
        }

        if (unit.Length == 0)
        {
            return TimeSpan.FromTicks((long)(number.Value * TimeSpan.TicksPerMillisecond));
        }

        foreach (var (units, ticks) in s_durationUnits)
        {
            if (units.Contains(unit, StringComparer.Ordinal))
            {
                return TimeSpan.FromTicks((long)Math.Round(number.Value * ticks));
            }
        }

        return null;
    }

    /// <summary>Parses a size text into bytes.</summary>
    public static long? ParseBytes(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (number, unit) = SplitNumber(text);
        if (number is null)
        {
            return null;
        }

        if (unit.Length == 0)
        {
            return (long)number.Value;
        }

        foreach (var (units, bytes) in s_sizeUnits)
        {
            if (units.Contains(unit, StringComparer.Ordinal))
            {
                return (long)Math.Round(number.Value * bytes);
            }
        }

        return null;
    }

    private static (double? Number, string Unit) SplitNumber(string text)
    {
        var t = text.Trim();
        var i = 0;
        while (i < t.Length && (char.IsAsciiDigit(t[i]) || t[i] is '.' or '-' or '+' or 'e' or 'E') && !(t[i] is 'e' or 'E' && (i == 0 || !char.IsAsciiDigit(t[i - 1]) || i + 1 >= t.Length || !(char.IsAsciiDigit(t[i + 1]) || t[i + 1] is '-' or '+'))))
        {
            i++;
        }

        return double.TryParse(t[..i], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? (n, t[i..].Trim())
            : (null, string.Empty);
    }

    private HoconScalar Scalar(string path, string expected) => Find(path) switch
    {
        HoconScalar { IsNull: false } s => s,
        null => throw Missing(path),
        var other => throw WrongKind(path, other, expected),
    };

    private T Parse<T>(string path, string expected, Func<string, T?> parse)
        where T : struct
    {
        var scalar = Scalar(path, expected);
        return parse(scalar.Text.Trim()) ?? throw WrongKind(path, scalar, expected);
    }
}
