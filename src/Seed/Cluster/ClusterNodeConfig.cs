using Akka.Configuration;

namespace AlgoPerf.Seed.Cluster;

/// <summary>
/// The Akka configuration of a cluster node: Akka.Cluster's provider, remoting bound to the node's address, its role,
/// the split brain resolver, the coordinator singleton, and (in Kubernetes) discovery of the coordinators' pods.
/// docs/cluster.md says why each setting is what it is.
/// </summary>
public static class ClusterNodeConfig
{
    /// <summary>The role name of coordinators (the singleton's role).</summary>
    public const string CoordinatorRole = "coordinator";

    /// <summary>The role name of trainer hosts.</summary>
    public const string WorkerRole = "worker";

    /// <summary>The singleton's name under its manager.</summary>
    public const string SingletonName = "coordinator";

    /// <summary>The pub-sub topic on which the coordinator announces that the benchmark is over.</summary>
    public const string BenchmarkTopic = "algoperf-benchmark";

    /// <summary>The role's name in Akka.Cluster.</summary>
    public static string RoleName(NodeRole role) => role == NodeRole.Coordinator ? CoordinatorRole : WorkerRole;

    /// <summary>The node's cluster configuration, to layer over the product's (<c>reference.conf</c> and the run's file).</summary>
    public static Config For(ClusterSettings settings, NodeRole role)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var hocon = $$"""
            akka {
              actor.provider = cluster
              remote.dot-netty.tcp {
                hostname = "{{settings.Hostname}}"
                port = {{settings.Port}}
                # A worker's unacknowledged results travel in one TrainerAttached message after a hand-over.
                maximum-frame-size = 16MiB
                send-buffer-size = 16MiB
                receive-buffer-size = 16MiB
              }
              cluster {
                roles = ["{{RoleName(role)}}"]
                # Joining is explicit (after the node's actors exist), so the coordinator never asks a worker that
                # has no agent yet; see ClusterNode.
                seed-nodes = []
                downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                split-brain-resolver {
                  # keep-majority: measured with Akka.Cluster 1.5.75 on loopback (docs/cluster.md); keep-oldest
                  # restricted to the coordinator role never restarted the singleton.
                  active-strategy = keep-majority
                  stable-after = 5s
                  down-all-when-unstable = on
                }
                # A downed node stops (its trainers pause with a checkpoint through coordinated shutdown).
                run-coordinated-shutdown-when-down = on
                singleton {
                  role = "{{CoordinatorRole}}"
                  singleton-name = "{{SingletonName}}"
                  hand-over-retry-interval = 1s
                }
                singleton-proxy {
                  role = "{{CoordinatorRole}}"
                  singleton-name = "{{SingletonName}}"
                  buffer-size = 10000
                }
              }
              # Leaving the cluster is part of every shutdown (the end of the benchmark, Ctrl-C, SIGTERM).
              coordinated-shutdown.run-by-clr-shutdown-hook = on
            }
            """;
        var config = ConfigurationFactory.ParseString(hocon).WithFallback(settings.Tls.ToAkkaConfig());
        if (settings.Bootstrap.Enabled)
        {
            // Akka.Discovery.KubernetesApi finds the coordinators' pods; the pod's service account needs get/list/watch
            // on pods (k8s/rbac.yaml). (Akka.Management's HTTP bootstrap is not used: its 1.5.73 HTTP shim needs a
            // Ceen.Httpd that this feed does not serve, and with the one it serves its endpoint does not start.)
            config = config.WithFallback(ConfigurationFactory.ParseString("""
                akka.discovery.kubernetes-api {
                  class = "Akka.Discovery.KubernetesApi.KubernetesApiServiceDiscovery, Akka.Discovery.KubernetesApi"
                  pod-label-selector = "app={0}"
                  use-raw-ip = true
                }
                """));
        }

        return config;
    }
}
