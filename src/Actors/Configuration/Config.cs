namespace AlgoPerf.Actors.Configuration;

/// <summary>
/// An immutable HOCON configuration. Build it with <see cref="ConfigFactory"/>, layer it over defaults with
/// <see cref="WithFallback"/>, then <see cref="Resolve"/> substitutions once; the typed getters throw
/// <see cref="HoconException"/> naming file:line:column and the setting's full path.
/// </summary>
public sealed partial class Config
{
    private readonly HoconObject _root;
    private readonly string _prefix;

    internal Config(HoconObject root, bool resolved, string prefix = "")
    {
        _root = root;
        IsResolved = resolved;
        _prefix = prefix;
    }

    /// <summary>A configuration without settings.</summary>
    public static Config Empty { get; } = new(new HoconObject(new HoconOrigin("<empty>", 1, 1)), resolved: true);

    /// <summary>True once substitutions are resolved (getters need it).</summary>
    public bool IsResolved { get; }

    /// <summary>The top-level keys, in the order they were written.</summary>
    public IReadOnlyList<string> Keys => _root.Order;

    /// <summary>This configuration with <paramref name="fallback"/>'s settings where it has none (objects merge deeply).</summary>
    public Config WithFallback(Config fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        return new Config(HoconObject.Merge(_root, fallback._root), resolved: false, _prefix);
    }

    /// <summary>
    /// Resolves <c>${path}</c> and <c>${?path}</c> (a path not in the configuration is looked up as an environment
    /// variable via <paramref name="environment"/>, default <see cref="Environment.GetEnvironmentVariable(string)"/>).
    /// </summary>
    public Config Resolve(Func<string, string?>? environment = null)
    {
        var resolved = new HoconResolver(_root, environment ?? Environment.GetEnvironmentVariable).Resolve();
        return new Config(resolved, resolved: true, _prefix);
    }

    /// <summary>True when <paramref name="path"/> (dotted) holds a value other than null.</summary>
    public bool HasPath(string path) => Find(path) is { } node && node is not HoconScalar { IsNull: true };

    /// <summary>The object at <paramref name="path"/> as a configuration of its own.</summary>
    public Config GetConfig(string path) => Find(path) switch
    {
        HoconObject o => new Config(o, IsResolved, FullPath(path) + "."),
        null => throw Missing(path),
        var other => throw WrongKind(path, other, "an object"),
    };

    private HoconNode? Find(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!IsResolved)
        {
            throw new InvalidOperationException("call Resolve() before reading settings");
        }

        HoconNode? current = _root;
        foreach (var segment in path.Split('.'))
        {
            current = current is HoconObject o && o.Fields.TryGetValue(segment, out var child) ? child : null;
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    private string FullPath(string path) => _prefix + path;

    private HoconException Missing(string path) =>
        new($"{_root.Origin.File}: missing setting '{FullPath(path)}'");

    private HoconException WrongKind(string path, HoconNode node, string expected)
    {
        var found = node switch
        {
            HoconObject => "an object",
            HoconArray => "an array",
            HoconScalar { IsNull: true } => "null",
            HoconScalar s => $"'{s.Text}'",
            _ => "an unresolved value",
        };
        return new HoconException(node.Origin, $"{FullPath(path)}: expected {expected} but found {found}");
    }
}
