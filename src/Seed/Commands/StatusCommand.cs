using AlgoPerf.Contracts.Persistence;
using AlgoPerf.Seed.Cli;
using AlgoPerf.Seed.Monitoring;
using AlgoPerf.Seed.Orchestration;

namespace AlgoPerf.Seed.Commands;

/// <summary>
/// <c>algoperf status RUN_DIR [--format text|json] [--journal CONNECTION]</c> or <c>algoperf status --journal
/// CONNECTION</c> (a cluster): a run's state (running, finished, interrupted), trials by state, per-study progress,
/// provisional scores with bounds, the share of device time spent inside trials and the time left, and for a cluster
/// its members with their roles, devices and trials (the coordinator's <c>cluster-view</c> snapshot). Reads the journal
/// read-only, while the run goes or after it ended.
/// </summary>
internal sealed class StatusCommand : ICommand
{
    public string Name => "status";

    public string Summary => "show a run's progress, studies and provisional scores (reads the journal, never writes)";

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        if (args.Positionals.Count > 1)
        {
            throw new UsageException("usage: status RUN_DIR [--format text|json] [--journal POSTGRES-CONNECTION], or status --journal POSTGRES-CONNECTION [--format text|json] (a cluster)");
        }

        var format = args.Choice("format", "text", "text", "json");
        var connection = args.Get("journal");
        args.EnsureAllUsed();
        if (args.Positionals.Count == 0 && string.IsNullOrWhiteSpace(connection))
        {
            throw new UsageException("status needs a RUN_DIR, or --journal POSTGRES-CONNECTION for a cluster");
        }

        // A cluster: its coordinator's view (members, devices, their trials) names the shared run directory.
        var cluster = string.IsNullOrWhiteSpace(connection) ? null
            : await ClusterViewReader.ReadAsync(JournalStore.Postgres(connection), args.Positionals.Count == 1 ? RunDescription.Load(args.Positionals[0]).Name : null, cancellationToken).ConfigureAwait(false);
        var directory = args.Positionals.Count == 1 ? args.Positionals[0]
            : cluster?.RunDirectory ?? throw new InvalidDataException("--journal: this journal holds no cluster view (no coordinator has run on it); give the run directory too");
        var run = RunDescription.Load(directory);
        var journal = RunReader.Journal(run.Directory, connection);
        var held = RunLock.IsHeld(run.Directory) || (cluster is { Over: false } && context.Time.GetUtcNow() - cluster.UpdatedAt < ClusterViewReader.Fresh);
        var view = await RunReader.ReadAsync(run, journal, context.Time, held, cancellationToken).ConfigureAwait(false);
        var state = RunStates.Of(view, held);
        await context.Out.WriteAsync(format == "json" ? RunViewText.JsonText(run.Name, state, view, cluster) : RunViewText.Text(run.Name, state, view, cluster)).ConfigureAwait(false);
        return 0;
    }
}
