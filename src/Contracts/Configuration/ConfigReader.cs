using System.Globalization;
using Akka.Configuration;

namespace AlgoPerf.Contracts.Configuration;

/// <summary>
/// Reads and validates settings under one path of an Akka <see cref="Config"/>, turning every missing or malformed
/// value into an <see cref="InvalidDataException"/> that names the configuration file and the full key
/// (<c>run.conf: algoperf.benchmark.trainers: must be at least 1 (got 0)</c>), so a bad value stops a process before it
/// writes anything.
/// </summary>
public sealed class ConfigReader
{
    private readonly Config _config;

    /// <summary>A reader of <paramref name="path"/> in <paramref name="config"/> (the whole config for an empty path).</summary>
    /// <param name="config">The resolved configuration.</param>
    /// <param name="source">The file the configuration came from (named in errors).</param>
    /// <param name="path">The path read, e.g. <c>algoperf.benchmark</c>.</param>
    public ConfigReader(Config config, string source, string path = "")
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(path);
        Source = source;
        Path = path;
        _config = path.Length == 0 ? config : config.GetConfig(path) ?? Config.Empty;
    }

    /// <summary>The file named in errors.</summary>
    public string Source { get; }

    /// <summary>The path this reader reads.</summary>
    public string Path { get; }

    /// <summary>The keys directly under this path, in the order HOCON gives them.</summary>
    public IReadOnlyList<string> Keys => _config.IsEmpty ? [] : [.. _config.Root.GetObject().Items.Keys];

    /// <summary>Whether <paramref name="key"/> is set.</summary>
    public bool Has(string key) => !_config.IsEmpty && _config.HasPath(key);

    /// <summary>A reader of the object at <paramref name="key"/> (empty when unset).</summary>
    public ConfigReader Sub(string key)
    {
        if (Has(key) && !_config.GetValue(key).IsObject())
        {
            throw Error(key, "must be an object { ... }");
        }

        return new ConfigReader(this, Has(key) ? _config.GetConfig(key) : Config.Empty, Full(key));
    }

    /// <summary>The string at <paramref name="key"/> (required).</summary>
    public string String(string key) => Get(key, "a string", k => _config.GetString(k));

    /// <summary>The integer at <paramref name="key"/> (required).</summary>
    public int Int(string key) => Get(key, "an integer", k => int.Parse(_config.GetString(k), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));

    /// <summary>The number at <paramref name="key"/> (required; finite).</summary>
    public double Double(string key) => Get(key, "a number", k =>
    {
        var d = double.Parse(_config.GetString(k), NumberStyles.Float, CultureInfo.InvariantCulture);
        return double.IsFinite(d) ? d : throw new FormatException("not finite");
    });

    /// <summary>The boolean at <paramref name="key"/> (required: on/off, true/false, yes/no).</summary>
    public bool Bool(string key) => Get(key, "a boolean (on/off)", k => _config.GetString(k).ToLowerInvariant() switch
    {
        "on" or "true" or "yes" => true,
        "off" or "false" or "no" => false,
        _ => throw new FormatException("not a boolean"),
    });

    /// <summary>The duration at <paramref name="key"/> (required; with a unit, e.g. 10s, 5 minutes).</summary>
    public TimeSpan Duration(string key) => Get(key, "a duration with a unit (500ms, 10s, 2 minutes)", k => _config.GetTimeSpan(k, null, allowInfinite: false));

    /// <summary>The list of strings at <paramref name="key"/> (required; may be empty).</summary>
    public IReadOnlyList<string> StringList(string key) => Get(key, "a list of strings [a, b]", k =>
    {
        var value = _config.GetValue(k);
        // Not "IsArray": Akka's HOCON keeps an empty list ([]), above all one that replaces an included list, as a
        // value with no elements, which is neither an array nor empty to it.
        return value.IsString() || value.IsObject() ? throw new FormatException("not a list") : (IReadOnlyList<string>)[.. _config.GetStringList(k)];
    });

    /// <summary>Throws the error of <paramref name="key"/> unless <paramref name="condition"/> holds.</summary>
    public void Require(bool condition, string key, string problem)
    {
        if (!condition)
        {
            throw Error(key, problem);
        }
    }

    /// <summary>The error for <paramref name="key"/>: <c>file: full.key: problem</c>.</summary>
    public InvalidDataException Error(string key, string problem, Exception? inner = null) =>
        new($"{Source}: {Full(key)}: {problem}", inner);

    private ConfigReader(ConfigReader parent, Config config, string path)
    {
        _config = config;
        Source = parent.Source;
        Path = path;
    }

    private string Full(string key) => Path.Length == 0 ? key : Path + "." + key;

    private T Get<T>(string key, string what, Func<string, T> read)
    {
        if (!Has(key))
        {
            throw Error(key, $"missing (must be {what})");
        }

        try
        {
            return read(key);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ConfigurationException or InvalidCastException or ArgumentException)
        {
            var shown = _config.GetValue(key)?.ToString() ?? "?";
            throw Error(key, $"must be {what} (got {shown.Trim()})", e);
        }
    }
}
