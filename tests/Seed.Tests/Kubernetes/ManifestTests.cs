using System.ComponentModel;
using System.Text.RegularExpressions;
using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Contracts.Persistence;
using AlgoPerf.Tests.Shared;

namespace AlgoPerf.Seed.Tests.Kubernetes;

/// <summary>
/// The Kubernetes manifests of <c>k8s/</c> (deployed with <c>kubectl apply -k k8s/</c>): they lint, and they agree with
/// the product: its reference configuration's ports and bootstrap settings, its verbs, its images (<c>docker/</c>).
/// </summary>
public sealed class ManifestTests
{
    private const string ConfigMount = "/etc/algoperf";

    public static TheoryData<string> Workloads() => ["coordinators", "workers"];

    private static Manifest Workload(string which) => which == "coordinators" ? K8sManifests.Coordinators : K8sManifests.Workers;

    [Fact]
    public void Manifests_EveryFile_ParsesIntoTheExpectedResources()
    {
        var resources = K8sManifests.All.Select(m => $"{m.File}: {m.Kind}/{m.Name}");

        Assert.Equal(
            [
                "checkpoints.yaml: PersistentVolumeClaim/algoperf-run",
                "configmap.yaml: ConfigMap/algoperf-config",
                "coordinators.yaml: Service/algoperf-coordinator",
                "coordinators.yaml: StatefulSet/algoperf-coordinator",
                "kustomization.yaml: Kustomization/",
                "namespace.yaml: Namespace/algoperf",
                "postgres.yaml: Service/algoperf-postgres",
                "postgres.yaml: StatefulSet/algoperf-postgres",
                "rbac.yaml: ServiceAccount/algoperf",
                "rbac.yaml: Role/algoperf-pod-reader",
                "rbac.yaml: RoleBinding/algoperf-pod-reader",
                "workers.yaml: Deployment/algoperf-worker",
            ],
            resources);
    }

    [Fact]
    public void Yamllint_K8sFolder_ReportsNothing()
    {
        (int Code, string Stdout, string Stderr) result;
        try
        {
            result = ScriptProcess.Run(RepositoryPaths.Root, null, "yamllint", "-s", "-c", ".yamllint", "k8s/");
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"yamllint is not installed (scripts/bootstrap.sh installs it): {e.Message}");
            return;
        }

        Assert.Equal((0, ""), (result.Code, result.Stdout + result.Stderr));
    }

    [Fact]
    public void Kustomization_Resources_AreEveryOtherManifestAndThePostgresSecretIsGenerated()
    {
        var kustomization = K8sManifests.All.Single(m => m.Kind == "Kustomization").Root;

        Assert.Equal(K8sManifests.Files.Where(f => f != "kustomization.yaml"), kustomization.At("resources").List().Cast<string>().Order(StringComparer.Ordinal));
        Assert.Equal("algoperf", kustomization.Str("namespace"));
        var secret = Assert.Single(kustomization.At("secretGenerator").List()).Map();
        Assert.Equal(("algoperf-postgres", "postgres.env"), (secret.Str("name"), Assert.Single(secret.At("envs").List())));
        Assert.Equal("true", kustomization.Str("generatorOptions", "disableNameSuffixHash"));
        Assert.Equal(["postgres.env"], File.ReadAllLines(Path.Combine(K8sManifests.Folder, ".gitignore")).Where(l => !l.StartsWith('#')));
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Containers_Ports_AreTheReferenceDefaults(string which)
    {
        var expected = ReferencePorts();

        Assert.Equal(expected, Workload(which).Container().Ports());
        Assert.Equal(expected, K8sManifests.One("Service", "algoperf-coordinator").Root.At("spec").Map().Ports("port"));
        Assert.Equal(new Dictionary<string, int> { ["remoting"] = 4053, ["http"] = 9464 }, expected);
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Containers_Probes_GetHealthAndHealthLiveOnTheHttpPort(string which)
    {
        var container = Workload(which).Container();
        var ports = container.Ports();

        var probes = new[] { "readinessProbe", "livenessProbe" }
            .Select(p => (container.Str(p, "httpGet", "path"), ports[container.Str(p, "httpGet", "port")]));

        Assert.Equal([("/health", ReferencePorts()["http"]), ("/health/live", ReferencePorts()["http"])], probes);
    }

    [Theory]
    [InlineData("coordinators", "seed")]
    [InlineData("workers", "worker")]
    public void Containers_Args_AreTheVerbTheMountedConfigAndThePodsAddressAndRunDirectory(string which, string verb)
    {
        var pod = Workload(which);
        var container = pod.Container();
        var args = container.At("args").List();
        var mounts = container.At("volumeMounts").List().ToDictionary(m => m.Str("name"), m => m.Str("mountPath"));
        var volumes = pod.PodSpec.At("volumes").List().ToDictionary(v => v.Str("name"), v => v.Map());

        Assert.Equal((verb, $"{ConfigMount}/k8s-benchmark.conf"), (args[0], args[1]));
        Assert.Equal(ConfigMount, mounts["config"]);
        Assert.Equal("algoperf-config", volumes["config"].Str("configMap", "name"));
        Assert.Equal("$(POD_IP)", container.Flag("--hostname"));
        Assert.Equal("status.podIP", Assert.Single(container.Env(), e => e.Str("name") == "POD_IP").Str("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal(mounts["run"], container.Flag("--run-dir"));
        Assert.Equal("algoperf-run", volumes["run"].Str("persistentVolumeClaim", "claimName"));
    }

    [Fact]
    public void RunDirectoryClaim_AccessModes_AreReadWriteManyOnly()
    {
        var claim = K8sManifests.One("PersistentVolumeClaim", "algoperf-run").Root;

        Assert.Equal(["ReadWriteMany"], claim.At("spec", "accessModes").List());
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Containers_Journal_IsThePostgresServiceWithThePasswordOfItsSecret(string which)
    {
        var env = Workload(which).Container().Env();
        var names = env.Select(e => e.Str("name")).ToList();
        var postgres = K8sManifests.One("StatefulSet", "algoperf-postgres").Container("postgres").Env();

        var password = Assert.Single(env, e => e.Str("name") == "ALGOPERF_POSTGRES_PASSWORD");
        Assert.Equal(
            Assert.Single(postgres, e => e.Str("name") == "POSTGRES_PASSWORD").At("valueFrom", "secretKeyRef").Map(),
            password.At("valueFrom", "secretKeyRef").Map());
        Assert.Equal(
            "Host=algoperf-postgres;Database=algoperf;Username=postgres;Password=$(ALGOPERF_POSTGRES_PASSWORD)",
            Assert.Single(env, e => e.Str("name") == JournalStore.ConnectionVariable).Str("value"));
        // Kubernetes expands $(VAR) only from variables defined before.
        Assert.True(names.IndexOf("ALGOPERF_POSTGRES_PASSWORD") < names.IndexOf(JournalStore.ConnectionVariable));
    }

    [Fact]
    public void Coordinators_StatefulSet_RunsTwoParallelSeedNodesBehindAHeadlessService()
    {
        var spec = K8sManifests.Coordinators.Root.At("spec").Map();
        var service = K8sManifests.One("Service", "algoperf-coordinator").Root.At("spec").Map();
        var bootstrap = AlgoPerfConfig.Reference.GetConfig("algoperf.cluster.bootstrap");

        Assert.Equal(("2", "Parallel"), (spec.Str("replicas"), spec.Str("podManagementPolicy")));
        Assert.Equal(bootstrap.GetInt("required-contact-points").ToString(System.Globalization.CultureInfo.InvariantCulture), spec.Str("replicas"));
        Assert.Equal(bootstrap.GetString("service-name"), spec.Str("template", "metadata", "labels", "app"));
        Assert.Equal(("None", "true", bootstrap.GetString("service-name")), (service.Str("clusterIP"), service.Str("publishNotReadyAddresses"), service.Str("selector", "app")));
        Assert.Equal("algoperf-coordinator", spec.Str("serviceName"));
    }

    [Fact]
    public void Workers_Pods_RequestOneGpuEachAndAreNoSeedNodes()
    {
        var spec = K8sManifests.Workers.Root.At("spec").Map();

        Assert.Equal("1", K8sManifests.Workers.Container().Str("resources", "limits", "nvidia.com/gpu"));
        Assert.NotEqual(AlgoPerfConfig.Reference.GetString("algoperf.cluster.bootstrap.service-name"), spec.Str("template", "metadata", "labels", "app"));
    }

    [Fact]
    public void Rbac_Role_GrantsGetWatchListOnPodsToThePodsServiceAccount()
    {
        var role = K8sManifests.One("Role", "algoperf-pod-reader").Root;
        var binding = K8sManifests.One("RoleBinding", "algoperf-pod-reader").Root;

        var rule = Assert.Single(role.At("rules").List());
        Assert.Equal(
            ("", "pods", "get,watch,list"),
            (string.Join(',', rule.At("apiGroups").List()), string.Join(',', rule.At("resources").List()), string.Join(',', rule.At("verbs").List())));
        Assert.Equal(("Role", "algoperf-pod-reader"), (binding.Str("roleRef", "kind"), binding.Str("roleRef", "name")));
        var subject = Assert.Single(binding.At("subjects").List());
        Assert.Equal(("ServiceAccount", "algoperf", "algoperf"), (subject.Str("kind"), subject.Str("name"), subject.Str("namespace")));
        Assert.All(new[] { K8sManifests.Coordinators, K8sManifests.Workers }, w => Assert.Equal("algoperf", w.PodSpec.Str("serviceAccountName")));
    }

    [Fact]
    public void Manifests_Images_AreTheOnesTheDockerfilesAndTheReadmeBuild()
    {
        var images = K8sManifests.All.SelectMany(m => m.Root.ValuesOf("image"));
        var readme = File.ReadAllText(Path.Combine(K8sManifests.Folder, "README.md"));

        Assert.Equal(["algoperf:cpu", "algoperf:cuda", "postgres:15"], images.Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(("algoperf:cpu", "algoperf:cuda"), (K8sManifests.Coordinators.Container().Str("image"), K8sManifests.Workers.Container().Str("image")));
        foreach (var (dockerfile, tag) in new[] { ("docker/Dockerfile", "algoperf:cpu"), ("docker/Dockerfile.cuda", "algoperf:cuda") })
        {
            var build = $"docker build -f {dockerfile} -t {tag} .";
            Assert.Contains(build, File.ReadAllText(Path.Combine(RepositoryPaths.Root, dockerfile)), StringComparison.Ordinal);
            Assert.Contains(build, readme, StringComparison.Ordinal);
        }

        Assert.Contains("postgres:15", readme, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Pods_SecurityContext_RunsAsTheImagesNonRootUser(string which)
    {
        var context = Workload(which).PodSpec.At("securityContext").Map();
        var users = new[] { "docker/Dockerfile", "docker/Dockerfile.cuda" }
            .Select(f => Regex.Match(File.ReadAllText(Path.Combine(RepositoryPaths.Root, f)), @"^USER (\d+)$", RegexOptions.Multiline).Groups[1].Value);

        Assert.Equal(["10001", "10001"], users);
        Assert.Equal(("true", "10001", "10001"), (context.Str("runAsNonRoot"), context.Str("runAsUser"), context.Str("fsGroup")));
    }

    private static Dictionary<string, int> ReferencePorts() => new()
    {
        ["remoting"] = AlgoPerfConfig.Reference.GetInt("algoperf.cluster.port"),
        ["http"] = AlgoPerfConfig.Reference.GetInt("algoperf.cluster.http.port"),
    };
}
