using System.Globalization;
using System.Text.RegularExpressions;
using Akka.Configuration;
using Akka.Configuration.Hocon;
using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Seed.Orchestration;
using AlgoPerf.Tests.Shared;

namespace AlgoPerf.Seed.Tests.Kubernetes;

/// <summary>
/// <c>k8s/configmap.yaml</c>, the configuration every pod mounts: generated from <c>hocon/</c> by
/// <c>scripts/k8s-configmap.sh</c>, complete on its own, and made only of keys the reference configuration knows.
/// </summary>
public sealed class ConfigMapTests : IDisposable
{
    private readonly DirectoryInfo _mounted = Directory.CreateTempSubdirectory("algoperf-configmap-");

    public ConfigMapTests()
    {
        // What a pod sees at /etc/algoperf: the ConfigMap's files and nothing else.
        foreach (var (name, text) in Data())
        {
            File.WriteAllText(Path.Combine(_mounted.FullName, name), text);
        }
    }

    public void Dispose() => _mounted.Delete(recursive: true);

    public static TheoryData<string> Workloads() => ["coordinators", "workers"];

    [Fact]
    public void ConfigMap_Committed_IsWhatTheScriptGenerates()
    {
        var (code, stdout, stderr) = ScriptProcess.Run(RepositoryPaths.Root, null, "bash", "scripts/k8s-configmap.sh", "--stdout");

        Assert.True(code == 0, stderr);
        Assert.Equal(File.ReadAllText(Path.Combine(K8sManifests.Folder, "configmap.yaml")), stdout);
    }

    [Fact]
    public void ConfigMap_Files_AreTheBenchmarkAndItsIncludesVerbatim()
    {
        var data = Data();

        Assert.Equal(["cluster.conf", "dev-suite.conf", "k8s-benchmark.conf", "k8s.conf", "quickstart.conf"], data.Keys.Order(StringComparer.Ordinal));
        Assert.All(data, f => Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.Hocon, f.Key)), f.Value));
    }

    [Fact]
    public void PodConfig_FromTheConfigMapAlone_RunsTheDevSuiteOnCudaWithTheKubernetesSettings()
    {
        var file = Path.Combine(_mounted.FullName, "k8s-benchmark.conf");
        var config = AlgoPerfConfig.Load(file);

        var benchmark = BenchmarkSettings.FromConfig(config, file, "/var/lib/algoperf");

        Assert.Equal(("k8s-dev-suite", "dev-cpu", "cuda", 6), (benchmark.Name, benchmark.Rules.Name, benchmark.Device, benchmark.Workloads.Count));
        Assert.Equal(
            (true, "0.0.0.0", "postgres", TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)),
            (config.GetBoolean("algoperf.cluster.bootstrap.enabled"), config.GetString("algoperf.cluster.http.host"),
             config.GetString("algoperf.journal.store"),
             config.GetTimeSpan("akka.coordinated-shutdown.phases.service-requests-done.timeout"),
             config.GetTimeSpan("algoperf.restart-backoff.min"), config.GetTimeSpan("akka.coordinated-shutdown.default-phase-timeout")));
    }

    [Fact]
    public void PodConfigAndManifests_EveryAlgoperfKey_ExistsInTheReference()
    {
        var set = Data().Keys.SelectMany(f => Leaves(AlgoPerfConfig.ParseFile(Path.Combine(_mounted.FullName, f)).Root, ""))
            .Where(k => k.StartsWith("algoperf.", StringComparison.Ordinal));
        // Keys a manifest names itself (the ConfigMap's files are parsed above).
        var named = K8sManifests.All.Where(m => m.Kind != "ConfigMap").SelectMany(m => m.Root.Scalars())
            .SelectMany(s => Regex.Matches(s, @"\balgoperf(\.[a-z0-9_-]+)+").Select(m => m.Value));
        var keys = set.Concat(named).Distinct().ToList();

        Assert.DoesNotContain(keys, k => !InReference(k));
        Assert.Contains("algoperf.cluster.bootstrap.enabled", keys);
        Assert.Contains("algoperf.cluster.http.host", keys);
        Assert.Contains("algoperf.benchmark.device", keys);
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Pods_TerminationGracePeriod_CoversEveryShutdownPhaseOfThePodConfig(string which)
    {
        var pod = which == "coordinators" ? K8sManifests.Coordinators : K8sManifests.Workers;
        var config = AlgoPerfConfig.Load(Path.Combine(_mounted.FullName, "k8s-benchmark.conf")).WithFallback(ConfigurationFactory.Default());
        var shutdown = config.GetConfig("akka.coordinated-shutdown");
        var fallback = shutdown.GetTimeSpan("default-phase-timeout");

        // The phases run one after the other; each may take up to its timeout before the next starts.
        var worstCase = shutdown.GetValue("phases").GetObject().Items.Keys
            .Sum(p => shutdown.GetTimeSpan($"phases.{p}.timeout", fallback).TotalSeconds);
        var grace = int.Parse(pod.PodSpec.Str("terminationGracePeriodSeconds"), CultureInfo.InvariantCulture);

        Assert.Equal(110.0, worstCase);
        Assert.InRange(grace, worstCase, worstCase + 15);
    }

    private static Dictionary<string, string> Data() =>
        K8sManifests.One("ConfigMap", "algoperf-config").Root.At("data").Map().ToDictionary(e => e.Key, e => (string)e.Value!);

    private static IEnumerable<string> Leaves(HoconValue value, string path) =>
        value.IsObject()
            ? value.GetObject().Items.SelectMany(i => Leaves(i.Value, path.Length == 0 ? i.Key : $"{path}.{i.Key}"))
            : [path];

    // A key of the reference, or under one of its open maps (an empty object there, e.g. algoperf.rules).
    private static bool InReference(string key)
    {
        var reference = AlgoPerfConfig.Reference;
        var parts = key.Split('.');
        for (var n = parts.Length; n > 0; n--)
        {
            var prefix = string.Join('.', parts[..n]);
            if (reference.HasPath(prefix))
            {
                var value = reference.GetValue(prefix);
                return n == parts.Length || (value.IsObject() && value.GetObject().Items.Count == 0);
            }
        }

        return false;
    }
}
