using Akka.Actor;
using AlgoPerf.Scorer.Actors;
using AlgoPerf.Scorer.Live;
using AlgoPerf.Seed.Cli;
using AlgoPerf.Seed.Dashboard;
using AlgoPerf.Seed.Monitoring;
using AlgoPerf.Seed.Orchestration;

namespace AlgoPerf.Seed.Commands;

/// <summary>
/// <c>algoperf dashboard RUN_DIR [--port PORT] [--host ADDRESS] [--token TOKEN] [--journal CONNECTION]</c>: serves the
/// dashboard of a run that another process runs, or that ended, from its journal (read-only, followed live) until
/// Ctrl-C. A running run's own process serves it with <c>algoperf run ... --dashboard</c>.
/// </summary>
internal sealed class DashboardCommand : ICommand
{
    public string Name => "dashboard";

    public string Summary => "serve the web dashboard of a running or finished run (reads the journal, never writes)";

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        if (args.Positionals.Count != 1)
        {
            throw new UsageException("usage: dashboard RUN_DIR [--port PORT] [--host ADDRESS] [--token TOKEN] [--journal POSTGRES-CONNECTION]");
        }

        var port = args.GetInt("port") ?? DashboardServer.DefaultPort;
        var host = args.Get("host") ?? "127.0.0.1";
        var token = args.Get("token") ?? Environment.GetEnvironmentVariable(DashboardServer.TokenVariable);
        var connection = args.Get("journal");
        args.EnsureAllUsed();
        if (port is < 0 or > 65535)
        {
            throw new UsageException($"--port must be 0-65535 (got {port})");
        }

        var run = RunDescription.Load(args.Positionals[0]);
        var journal = RunReader.Journal(run.Directory, connection);
        var system = RunReader.ReadOnlySystem(journal, "algoperf-dashboard");
        try
        {
            var scorer = system.ActorOf(ScorerActor.Props(run.Setup), "scorer");
            async Task<LiveSnapshot> Latest(CancellationToken ct)
            {
                var held = RunLock.IsHeld(run.Directory);
                var view = await scorer.Ask<RunView>(new GetRunView(context.Time.GetUtcNow(), held), TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
                return new LiveSnapshot(run.Name, view, [], held);
            }

            await using var server = await DashboardServer.StartAsync(
                new DashboardOptions(host, port, string.IsNullOrEmpty(token) ? null : token, run.Directory), Latest, context.Time, cancellationToken).ConfigureAwait(false);
            await context.Error.WriteLineAsync($"algoperf dashboard: {run.Name} at {server.Url} (Ctrl-C to stop)").ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, context.Time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }
}
