using AlgoPerf.Seed.Cli;
using AlgoPerf.Seed.Cluster;

namespace AlgoPerf.Seed.Commands;

/// <summary>
/// <c>algoperf seed CONFIG [--journal CONNECTION] [--seed-nodes HOST:PORT,...] [--port P] [--hostname ADDRESS]
/// [--run-dir DIR] [--http-port P]</c>: a coordinator node of cluster mode (docs/cluster.md). The benchmark's tuners,
/// scheduler and scorer run as a cluster singleton on the coordinator role over the PostgreSQL journal; run two or more
/// for failover. Prints the scores and exits 0 when the benchmark is decided.
/// </summary>
internal sealed class SeedCommand : ICommand
{
    public string Name => "seed";

    public string Summary => "a coordinator node of a cluster (tuners, scheduler and scorer as a singleton; PostgreSQL journal)";

    public Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        return ClusterNode.RunAsync(ClusterNode.Parse(NodeRole.Coordinator, args), context, cancellationToken);
    }
}
