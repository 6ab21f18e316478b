namespace AlgoPerf.Actors.Configuration;

/// <summary>
/// Builds configurations: from text, from a file (includes relative to it), and the project's reference defaults
/// (<c>hocon/reference.conf</c>, embedded in this assembly) under which every user file is layered.
/// </summary>
public static class ConfigFactory
{
    private static readonly Lazy<Config> s_reference = new(LoadReference);

    /// <summary>Parses HOCON text; <paramref name="name"/> appears in error positions.</summary>
    public static Config ParseString(string text, string name = "<string>", string? includeDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Config(HoconParser.Parse(text, name, includeDirectory), resolved: false);
    }

    /// <summary>Parses a HOCON file (unresolved).</summary>
    public static Config ParseFile(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"configuration file not found: {full}", full);
        }

        return ParseString(File.ReadAllText(full), full, Path.GetDirectoryName(full));
    }

    /// <summary>The reference defaults (unresolved), as shipped in <c>hocon/reference.conf</c>.</summary>
    public static Config Reference() => s_reference.Value;

    /// <summary>The reference defaults, resolved.</summary>
    public static Config Default(Func<string, string?>? environment = null) => Reference().Resolve(environment);

    /// <summary><paramref name="path"/> over the reference defaults, resolved: what every verb loads.</summary>
    public static Config Load(string path, Func<string, string?>? environment = null) =>
        ParseFile(path).WithFallback(Reference()).Resolve(environment);

    private static Config LoadReference()
    {
        const string resource = "AlgoPerf.Actors.reference.conf";
        using var stream = typeof(ConfigFactory).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded resource {resource} is missing from {typeof(ConfigFactory).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return ParseString(reader.ReadToEnd(), "reference.conf");
    }
}
