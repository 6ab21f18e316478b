using AlgoPerf.Seed.Cli;
using AlgoPerf.Seed.Cluster;

namespace AlgoPerf.Seed.Commands;

/// <summary>
/// <c>algoperf worker CONFIG [--seed-nodes HOST:PORT,...] [--port P] [--hostname ADDRESS] [--run-dir DIR]
/// [--http-port P] [--trainers N] [--threads T]</c>: a trainer host of cluster mode (docs/cluster.md): one trainer
/// actor per device, registered with the coordinator. Exits 0 when the coordinator says the benchmark is over.
/// </summary>
internal sealed class WorkerCommand : ICommand
{
    public string Name => "worker";

    public string Summary => "a trainer host of a cluster (one trainer per device; joins the coordinators)";

    public Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        return ClusterNode.RunAsync(ClusterNode.Parse(NodeRole.Worker, args), context, cancellationToken);
    }
}
