namespace AlgoPerf.Seed.Tests.Kubernetes;

/// <summary>One YAML document of a file in <c>k8s/</c>, as a plain tree: mappings, sequences, scalar strings.</summary>
/// <param name="File">The file's name in <c>k8s/</c>.</param>
/// <param name="Root">The document's top mapping.</param>
internal sealed record Manifest(string File, IReadOnlyDictionary<string, object?> Root)
{
    public string Kind => Root.Str("kind");

    public string? Name => Root.TryGetValue("metadata", out var metadata) ? metadata.Map().GetValueOrDefault("name") as string : null;

    /// <summary>The pod template's spec of a workload (StatefulSet, Deployment).</summary>
    public IReadOnlyDictionary<string, object?> PodSpec => Root.At("spec", "template", "spec").Map();

    /// <summary>The container named <paramref name="name"/> of the pod template.</summary>
    public IReadOnlyDictionary<string, object?> Container(string name = "algoperf") =>
        PodSpec.At("containers").List().Select(c => c.Map()).Single(c => c.Str("name") == name);
}
