using AlgoPerf.Seed.Cli;
using AlgoPerf.Seed.Monitoring;
using AlgoPerf.Seed.Orchestration;

namespace AlgoPerf.Seed.Commands;

/// <summary>
/// <c>algoperf status RUN_DIR [--format text|json] [--journal CONNECTION]</c>: a run's state (running, finished,
/// interrupted), trials by state, per-study progress, provisional scores with bounds, the share of device time spent
/// inside trials and the time left. Reads the journal read-only, while the run goes or after it ended.
/// </summary>
internal sealed class StatusCommand : ICommand
{
    public string Name => "status";

    public string Summary => "show a run's progress, studies and provisional scores (reads the journal, never writes)";

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        if (args.Positionals.Count != 1)
        {
            throw new UsageException("usage: status RUN_DIR [--format text|json] [--journal POSTGRES-CONNECTION]");
        }

        var format = args.Choice("format", "text", "text", "json");
        var connection = args.Get("journal");
        args.EnsureAllUsed();
        var run = RunDescription.Load(args.Positionals[0]);
        var journal = RunReader.Journal(run.Directory, connection);
        var held = RunLock.IsHeld(run.Directory);
        var view = await RunReader.ReadAsync(run, journal, context.Time, held, cancellationToken).ConfigureAwait(false);
        var state = RunStates.Of(view, held);
        await context.Out.WriteAsync(format == "json" ? RunViewText.JsonText(run.Name, state, view) : RunViewText.Text(run.Name, state, view)).ConfigureAwait(false);
        return 0;
    }
}
