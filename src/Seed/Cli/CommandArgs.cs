using System.Globalization;

namespace AlgoPerf.Seed.Cli;

/// <summary>
/// The arguments after the verb: <c>--name value</c> options, <c>--flag</c> switches and positional words. Options may
/// also be written <c>--name=value</c>. Every option a verb reads is marked used; <see cref="EnsureAllUsed"/> then
/// rejects anything the verb did not understand, so a typo never silently changes a run.
/// </summary>
internal sealed class CommandArgs
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public CommandArgs(IEnumerable<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var a = list[i];
            if (!a.StartsWith("--", StringComparison.Ordinal) || a == "--")
            {
                Positionals.Add(a);
                continue;
            }

            var eq = a.IndexOf('=', StringComparison.Ordinal);
            string key;
            string? value;
            if (eq > 0)
            {
                key = a[2..eq];
                value = a[(eq + 1)..];
            }
            else
            {
                key = a[2..];
                value = i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal) ? list[++i] : null;
            }

            if (!_options.TryAdd(key, value))
            {
                throw new UsageException($"option --{key} given twice");
            }
        }
    }

    /// <summary>Words that are not options, in order (sub-verbs, files).</summary>
    public List<string> Positionals { get; } = [];

    /// <summary>True when <c>--name</c> was given (with or without a value).</summary>
    public bool Has(string name)
    {
        _used.Add(name);
        return _options.ContainsKey(name);
    }

    /// <summary>The value of <c>--name</c>, or null when absent.</summary>
    public string? Get(string name)
    {
        _used.Add(name);
        if (!_options.TryGetValue(name, out var value))
        {
            return null;
        }

        return value ?? throw new UsageException($"option --{name} needs a value");
    }

    /// <summary>An option whose value is optional: its value, or null when given bare or not at all (see <see cref="Has"/>).</summary>
    public string? RawValue(string name)
    {
        _used.Add(name);
        return _options.GetValueOrDefault(name);
    }

    /// <summary>The value of <c>--name</c>; a usage error when absent.</summary>
    public string Required(string name) => Get(name) ?? throw new UsageException($"missing required option --{name}");

    /// <summary>An integer option.</summary>
    public int? GetInt(string name) => Parse(name, s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture), "an integer");

    /// <summary>An unsigned 64-bit option (seeds).</summary>
    public ulong? GetUInt64(string name) => Parse(name, s => ulong.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture), "a non-negative integer");

    /// <summary>A floating-point option.</summary>
    public double? GetDouble(string name) => Parse(name, s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture), "a number");

    /// <summary>A comma-separated list option (empty when absent).</summary>
    public IReadOnlyList<string> GetList(string name) =>
        Get(name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    /// <summary>One of a fixed set of words.</summary>
    public string Choice(string name, string defaultValue, params string[] allowed)
    {
        var v = Get(name) ?? defaultValue;
        return allowed.Contains(v, StringComparer.Ordinal)
            ? v
            : throw new UsageException($"--{name} must be one of {string.Join(", ", allowed)} (got '{v}')");
    }

    /// <summary>Rejects options the verb never asked about.</summary>
    public void EnsureAllUsed()
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"unknown option{(unknown.Count > 1 ? "s" : string.Empty)}: {string.Join(", ", unknown.Select(u => "--" + u))}");
        }
    }

    private T? Parse<T>(string name, Func<string, T> parse, string what)
        where T : struct
    {
        var s = Get(name);
        if (s is null)
        {
            return null;
        }

        try
        {
            return parse(s);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new UsageException($"--{name} must be {what} (got '{s}')");
        }
    }
}
