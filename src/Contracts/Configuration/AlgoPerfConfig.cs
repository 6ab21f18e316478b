using Akka.Configuration;
using Akka.Configuration.Hocon;
using Akka.Persistence.Sql;

namespace AlgoPerf.Contracts.Configuration;

/// <summary>
/// Akka HOCON for the whole product: <c>hocon/reference.conf</c> (embedded; every <c>algoperf.*</c> default and the
/// <c>akka.*</c> settings the product sets) over Akka.Persistence.Sql's own defaults, and user files layered on top
/// with <c>include</c> resolved relative to the including file.
/// </summary>
public static class AlgoPerfConfig
{
    private const string ReferenceResource = "AlgoPerf.reference.conf";
    private static readonly Lazy<Config> s_reference = new(LoadReference);

    /// <summary><c>hocon/reference.conf</c> over Akka.Persistence.Sql's defaults.</summary>
    public static Config Reference => s_reference.Value;

    /// <summary>Parses <paramref name="path"/> (with its includes) over <see cref="Reference"/>.</summary>
    /// <exception cref="InvalidDataException">The file is missing or is not valid HOCON (the message names the file).</exception>
    public static Config Load(string path)
    {
        return ParseFile(path).WithFallback(Reference);
    }

    /// <summary>Parses HOCON text (includes relative to <paramref name="directory"/>) over <see cref="Reference"/>.</summary>
    /// <exception cref="InvalidDataException">The text is not valid HOCON.</exception>
    public static Config Parse(string hocon, string? directory = null)
    {
        ArgumentNullException.ThrowIfNull(hocon);
        try
        {
            var root = Parser.Parse(hocon, Includer(directory ?? Environment.CurrentDirectory, "(text)"));
            return new Config(root).WithFallback(Reference);
        }
        catch (Exception e) when (e is ConfigurationException or FormatException)
        {
            throw new InvalidDataException($"(text): {e.Message}", e);
        }
    }

    /// <summary>Parses one file (with its includes) without the reference under it: an overlay to layer elsewhere.</summary>
    /// <exception cref="InvalidDataException">The file is missing or is not valid HOCON (the message names the file).</exception>
    public static Config ParseFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var file = Path.GetFullPath(path);
        if (!File.Exists(file))
        {
            throw new InvalidDataException($"{file}: no such configuration file");
        }

        try
        {
            return new Config(Parser.Parse(File.ReadAllText(file), Includer(Path.GetDirectoryName(file)!, file)));
        }
        catch (Exception e) when (e is ConfigurationException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"{file}: {e.Message}", e);
        }
    }

    private static Func<string, HoconRoot> Includer(string directory, string includingFile) => include =>
    {
        var target = Path.GetFullPath(Path.Combine(directory, include));
        if (!File.Exists(target))
        {
            throw new InvalidDataException($"{includingFile}: include \"{include}\": no such file {target}");
        }

        return Parser.Parse(File.ReadAllText(target), Includer(Path.GetDirectoryName(target)!, target));
    };

    private static Config LoadReference()
    {
        using var stream = typeof(AlgoPerfConfig).Assembly.GetManifestResourceStream(ReferenceResource)
            ?? throw new InvalidOperationException($"embedded resource {ReferenceResource} is missing");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd()).WithFallback(SqlPersistence.DefaultConfiguration);
    }
}
