using System.Globalization;
using Akka.Configuration;
using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Seed.Cli;

namespace AlgoPerf.Seed.Cluster;

/// <summary>A node's role in cluster mode.</summary>
public enum NodeRole
{
    /// <summary><c>algoperf seed</c>: may host the coordinator singleton (tuners, scheduler, scorer).</summary>
    Coordinator,

    /// <summary><c>algoperf worker</c>: a trainer host, one trainer actor per device.</summary>
    Worker,
}

/// <summary>
/// How a node joins and serves the cluster (HOCON <c>algoperf.cluster</c>, overridden by the environment and then by
/// the command line): the cluster's name, the address remoting binds and advertises, the seed nodes, and the times
/// that bound joining, cut-off, reconciliation and redelivery.
/// </summary>
/// <param name="Name">The actor system's (cluster's) name.</param>
/// <param name="Hostname">The address remoting binds and advertises.</param>
/// <param name="Port">The remoting port (0: any free one).</param>
/// <param name="SeedNodes">host:port of the nodes to join.</param>
/// <param name="JoinTimeout">A node that has not joined by then stops with an error.</param>
/// <param name="CutOffStop">A worker cut off from every coordinator this long pauses its trials.</param>
/// <param name="ReconcileTimeout">How long a new coordinator waits for the workers to attach their trainers before it dispatches.</param>
/// <param name="RedeliverEvery">How often trainers re-send unacknowledged results.</param>
/// <param name="HttpHost">The address /health and /metrics bind.</param>
/// <param name="HttpPort">Their port (0: any free one; -1: off).</param>
/// <param name="HttpToken">The bearer token they require, or null.</param>
/// <param name="Bootstrap">Kubernetes cluster bootstrap instead of seed nodes.</param>
/// <param name="Tls">TLS for remoting.</param>
public sealed record ClusterSettings(
    string Name,
    string Hostname,
    int Port,
    IReadOnlyList<string> SeedNodes,
    TimeSpan JoinTimeout,
    TimeSpan CutOffStop,
    TimeSpan ReconcileTimeout,
    TimeSpan RedeliverEvery,
    string HttpHost,
    int HttpPort,
    string? HttpToken,
    BootstrapSettings Bootstrap,
    RemotingTlsSettings Tls)
{
    /// <summary>Seed nodes from the environment (host:port,host:port) when no flag gives them.</summary>
    public const string SeedNodesVariable = "ALGOPERF_SEED_NODES";

    /// <summary>The advertised address from the environment (a pod's IP).</summary>
    public const string HostnameVariable = "ALGOPERF_HOSTNAME";

    /// <summary>The remoting port from the environment.</summary>
    public const string PortVariable = "ALGOPERF_PORT";

    /// <summary>The /health and /metrics bearer token from the environment.</summary>
    public const string HttpTokenVariable = "ALGOPERF_HTTP_TOKEN";

    /// <summary>The usage of the flags every cluster verb takes.</summary>
    public const string FlagsUsage = "[--journal POSTGRES-CONNECTION] [--seed-nodes HOST:PORT[,HOST:PORT...]] [--port PORT] [--hostname ADDRESS] [--run-dir DIR] [--http-port PORT]";

    /// <summary>
    /// Binds <c>algoperf.cluster</c> of a configuration loaded from <paramref name="source"/>, then the environment
    /// (<see cref="SeedNodesVariable"/>, <see cref="HostnameVariable"/>, <see cref="PortVariable"/>,
    /// <see cref="HttpTokenVariable"/>), then the flags <c>--seed-nodes</c>, <c>--hostname</c>, <c>--port</c>,
    /// <c>--http-port</c>.
    /// </summary>
    /// <exception cref="InvalidDataException">A missing or invalid setting (names the file and key).</exception>
    /// <exception cref="UsageException">A bad flag.</exception>
    internal static ClusterSettings FromConfig(Config config, string source, string baseDirectory, CommandArgs args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var c = new ConfigReader(config, source).Sub("algoperf").Sub("cluster");
        var name = c.String("name");
        c.Require(name.Length > 0 && name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_'), "name", $"'{name}' is not an actor system name (letters, digits, - and _)");

        var hostname = args.Get("hostname") ?? NonEmpty(environment(HostnameVariable)) ?? c.String("hostname");
        c.Require(hostname.Length > 0, "hostname", "missing: the address this node binds and the others reach it at");

        int port;
        if (args.GetInt("port") is { } flagPort)
        {
            port = flagPort is >= 0 and <= 65535 ? flagPort : throw new UsageException($"--port takes 0-65535, got {flagPort}");
        }
        else if (NonEmpty(environment(PortVariable)) is { } envPort)
        {
            port = int.TryParse(envPort, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 65535
                ? p
                : throw new InvalidDataException($"{PortVariable}: '{envPort}' is not a port (0-65535)");
        }
        else
        {
            port = c.Int("port");
            c.Require(port is >= 0 and <= 65535, "port", $"{port} is not a port (0-65535)");
        }

        IReadOnlyList<string> seeds;
        if (args.Get("seed-nodes") is { } flagSeeds)
        {
            seeds = SplitSeeds(flagSeeds, "--seed-nodes");
        }
        else if (NonEmpty(environment(SeedNodesVariable)) is { } envSeeds)
        {
            seeds = SplitSeeds(envSeeds, SeedNodesVariable);
        }
        else
        {
            seeds = c.StringList("seed-nodes");
            foreach (var seed in seeds)
            {
                c.Require(IsHostPort(seed), "seed-nodes", $"'{seed}' is not host:port");
            }
        }

        var http = c.Sub("http");
        var httpPort = args.GetInt("http-port") ?? http.Int("port");
        http.Require(httpPort is >= -1 and <= 65535, "port", $"{httpPort} is not a port (0-65535, or -1 for off)");
        var token = NonEmpty(http.String("bearer-token")) ?? NonEmpty(environment(HttpTokenVariable));

        var bootstrap = c.Sub("bootstrap");
        var bootstrapSettings = new BootstrapSettings(
            bootstrap.Bool("enabled"),
            bootstrap.String("service-name"),
            bootstrap.Int("required-contact-points"));
        if (!bootstrapSettings.Enabled && seeds.Count == 0)
        {
            throw c.Error("seed-nodes", "empty: give the coordinators' host:port with --seed-nodes (or ALGOPERF_SEED_NODES), at least two, or enable algoperf.cluster.bootstrap in Kubernetes");
        }

        return new ClusterSettings(
            name,
            hostname,
            port,
            seeds,
            Positive(c, "join-timeout"),
            Positive(c, "cut-off-stop"),
            Positive(c, "reconcile-timeout"),
            Positive(c, "redeliver-every"),
            http.String("host"),
            httpPort,
            token,
            bootstrapSettings,
            RemotingTlsSettings.FromConfig(config, source, baseDirectory));
    }

    /// <summary>The Akka address of a seed node of this cluster.</summary>
    public string SeedAddress(string hostPort) => $"{Tls.AddressProtocol}://{Name}@{hostPort}";

    private static TimeSpan Positive(ConfigReader c, string key)
    {
        var value = c.Duration(key);
        c.Require(value > TimeSpan.Zero, key, "must be positive");
        return value;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static List<string> SplitSeeds(string text, string origin)
    {
        var seeds = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        foreach (var seed in seeds)
        {
            if (!IsHostPort(seed))
            {
                throw new UsageException($"{origin}: '{seed}' is not host:port");
            }
        }

        return seeds.Count > 0 ? seeds : throw new UsageException($"{origin}: no host:port given");
    }

    private static bool IsHostPort(string text)
    {
        var colon = text.LastIndexOf(':');
        return colon > 0
            && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is > 0 and <= 65535;
    }
}

/// <summary>Kubernetes cluster bootstrap: the coordinators' pods found through Akka.Discovery.KubernetesApi are the seed nodes.</summary>
/// <param name="Enabled">Join through bootstrap instead of seed nodes.</param>
/// <param name="ServiceName">The coordinators' pod label value <c>app=</c>.</param>
/// <param name="RequiredContactPoints">Coordinator pods that must be found before joining.</param>
public sealed record BootstrapSettings(bool Enabled, string ServiceName, int RequiredContactPoints);
