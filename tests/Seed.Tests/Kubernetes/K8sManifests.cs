using AlgoPerf.Tests.Shared;
using YamlDotNet.RepresentationModel;

namespace AlgoPerf.Seed.Tests.Kubernetes;

/// <summary>
/// The manifests of <c>k8s/</c> parsed with YamlDotNet (every document of every <c>*.yaml</c>), and navigation over
/// their trees that names the missing key when a manifest lacks one.
/// </summary>
internal static class K8sManifests
{
    public static string Folder => Path.Combine(RepositoryPaths.Root, "k8s");

    /// <summary>The <c>*.yaml</c> files of <c>k8s/</c>, by name in ordinal order.</summary>
    public static IReadOnlyList<string> Files { get; } =
        [.. Directory.GetFiles(Folder, "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    /// <summary>Every document of every file, in file order.</summary>
    public static IReadOnlyList<Manifest> All { get; } = [.. Files.SelectMany(f => Parse(f).Select(d => new Manifest(f, d)))];

    public static Manifest One(string kind, string name) => All.Single(m => m.Kind == kind && m.Name == name);

    public static Manifest Coordinators => One("StatefulSet", "algoperf-coordinator");

    public static Manifest Workers => One("Deployment", "algoperf-worker");

    /// <summary>The documents of <paramref name="file"/> (multi-document YAML), each a mapping.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, object?>> Parse(string file)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Folder, file)))
        {
            stream.Load(reader);
        }

        return [.. stream.Documents.Select(d => Plain(d.RootNode).Map())];
    }

    public static object? At(this object? node, params string[] path)
    {
        foreach (var key in path)
        {
            var map = node.Map();
            node = map.TryGetValue(key, out var child) ? child : throw new KeyNotFoundException($"no '{key}' (of {string.Join('.', path)})");
        }

        return node;
    }

    public static IReadOnlyDictionary<string, object?> Map(this object? node) =>
        node as IReadOnlyDictionary<string, object?> ?? throw new InvalidDataException($"not a mapping: {node}");

    public static IReadOnlyList<object?> List(this object? node) =>
        node as IReadOnlyList<object?> ?? throw new InvalidDataException($"not a sequence: {node}");

    public static string Str(this object? node, params string[] path) =>
        node.At(path) as string ?? throw new InvalidDataException($"not a scalar: {string.Join('.', path)}");

    /// <summary>Every scalar under <paramref name="node"/>, depth first.</summary>
    public static IEnumerable<string> Scalars(this object? node) => node switch
    {
        string s => [s],
        IReadOnlyDictionary<string, object?> map => map.Values.SelectMany(Scalars),
        IReadOnlyList<object?> list => list.SelectMany(Scalars),
        _ => [],
    };

    /// <summary>The scalar values of every mapping key <paramref name="key"/> under <paramref name="node"/>, depth first.</summary>
    public static IEnumerable<string> ValuesOf(this object? node, string key) => node switch
    {
        IReadOnlyDictionary<string, object?> map => map.SelectMany(e => e.Key == key && e.Value is string s ? [s] : e.Value.ValuesOf(key)),
        IReadOnlyList<object?> list => list.SelectMany(n => n.ValuesOf(key)),
        _ => [],
    };

    /// <summary>A container's ports by name.</summary>
    public static IReadOnlyDictionary<string, int> Ports(this IReadOnlyDictionary<string, object?> container, string numberKey = "containerPort") =>
        container.At("ports").List().ToDictionary(p => p.Str("name"), p => int.Parse(p.Str(numberKey), System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The value that follows <paramref name="flag"/> in a container's args.</summary>
    public static string Flag(this IReadOnlyDictionary<string, object?> container, string flag)
    {
        var args = container.At("args").List().Cast<string>().ToList();
        var i = args.IndexOf(flag);
        Assert.True(i >= 0 && i + 1 < args.Count, $"args lack {flag} VALUE: {string.Join(' ', args)}");
        return args[i + 1];
    }

    /// <summary>A container's environment variables in order, each with its value or its valueFrom.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, object?>> Env(this IReadOnlyDictionary<string, object?> container) =>
        [.. container.At("env").List().Select(e => e.Map())];

    private static object? Plain(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => Plain(c.Value)) as IReadOnlyDictionary<string, object?>,
        YamlSequenceNode seq => seq.Children.Select(Plain).ToList() as IReadOnlyList<object?>,
        YamlScalarNode scalar => scalar.Value,
        _ => throw new InvalidDataException($"unexpected YAML node {node.NodeType} at {node.Start}"),
    };
}
