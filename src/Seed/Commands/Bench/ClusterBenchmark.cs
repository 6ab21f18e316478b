using System.Globalization;
using System.Text.Json;
using AlgoPerf.Seed.Cli;
using AlgoPerf.Seed.Cluster;
using AlgoPerf.Seed.Orchestration;
using AlgoPerf.Tuner.Actors;

namespace AlgoPerf.Seed.Commands.Bench;

/// <summary>
/// <c>./algoperf bench cluster --workers N --simulated [--devices-per-worker 8] [--time-scale X] [--submissions 20]
/// [--evals-per-trial 4] [--worker-processes N/25] [--output FILE] [--format json]</c>: the cluster scheduler at the
/// scale of a v0.6 competition, with simulated trainers. The plan is every trial of <c>--submissions</c> submissions
/// on the 8 v0.6 base workloads under external tuning (3 studies of 5 trials; 2,400 trials for 20 submissions), each
/// with its workload's v0.6 budget. N worker actor systems of <c>--devices-per-worker</c>
/// <see cref="SimulatedTrainerActor"/>s (a trial takes <c>budget x time-scale</c> of wall time) join a real
/// Akka.Cluster on 127.0.0.1 with a coordinator node, so remoting and the cluster's gossip are real.
/// </summary>
/// <remarks>
/// <para>This process is the coordinator node: the real <see cref="SchedulerActor"/> (created to reconcile, as the
/// coordinator singleton creates it), a registrar that has each worker's real <see cref="WorkerAgent"/> attach its
/// trainers (<see cref="CoordinatorActor"/>'s protocol, without the journal), and a stand-in for the tuners that sends
/// <see cref="RunTrial"/> for the whole plan, then <see cref="ReconcileDone"/>, and acknowledges every
/// <see cref="AttemptOutcome"/> to its trainer as a tuner does once it has persisted it. The workers run in
/// <c>--worker-processes</c> child processes (this command with the hidden <c>--join ADDRESS</c>; one per 25 workers by
/// default), started one after the other, each joining its nodes ten at a time, so the coordinator's CPU is its own
/// process's CPU time over the run (remoting, gossip and the tuner stand-in included). The nodes run the product's
/// cluster configuration except for failure detection and downing (see <see cref="NodeConfig"/>), since a hundred
/// nodes share the cores of one host.</para>
/// <para>Figures: dispatches per second (trials over the run's wall time, and for the first wave of one trial per
/// device), the coordinator's CPU, the makespan in simulated seconds (wall time / time-scale), the lower bound
/// <c>max(total budget / devices, longest budget)</c>, the longest-budget-first list schedule without overhead, and the
/// trainers' idle time between trials. <c>--time-scale</c> defaults to about 60 s of wall time for the run.</para>
/// </remarks>
internal sealed partial class ClusterBenchmark : IBenchmark
{
    /// <summary>What the registrar and the simulated workers agree the benchmark is.</summary>
    private const string Identity = "bench-cluster-simulated";

    private const double TargetWallSec = 60;

    /// <summary>The cluster failure detector's acceptable heartbeat pause on the benchmark's nodes (see <see cref="NodeConfig"/>).</summary>
    private const string HeartbeatPause = "30s";

    public string Name => "cluster";

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        var join = args.Get("join");
        var workers = args.GetInt("workers") ?? 10;
        var devicesPerWorker = args.GetInt("devices-per-worker") ?? 8;
        var timeScale = args.GetDouble("time-scale");
        var evals = args.GetInt("evals-per-trial") ?? 4;
        var simulated = args.Has("simulated");
        if (join is not null)
        {
            var first = args.GetInt("first-worker") ?? 0;
            args.EnsureAllUsed();
            return await SimulatedWorkers.RunAsync(join, workers, first, devicesPerWorker, timeScale ?? 1, evals, context, cancellationToken).ConfigureAwait(false);
        }

        var submissions = args.GetInt("submissions") ?? 20;
        var processes = args.GetInt("worker-processes") ?? Math.Max(1, workers / 25);
        var output = args.Get("output");
        var format = args.Choice("format", "text", "text", "json");
        args.EnsureAllUsed();
        if (!simulated)
        {
            throw new UsageException("bench cluster needs --simulated: its trainers simulate a trial's time from its budget (no other mode exists)");
        }

        if (workers < 1 || devicesPerWorker < 1 || submissions < 1 || evals < 1 || processes < 1 || processes > workers || timeScale is <= 0)
        {
            throw new UsageException("--workers, --devices-per-worker, --submissions, --evals-per-trial and --worker-processes must be at least 1 (at most --workers processes), --time-scale above 0");
        }

        var run = new ClusterRun(workers, devicesPerWorker, Plan(submissions), timeScale, evals, processes);
        var figures = await run.RunAsync(context, cancellationToken).ConfigureAwait(false);
        var line = JsonSerializer.Serialize(figures);
        if (output is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            await File.AppendAllTextAsync(output, line + "\n", cancellationToken).ConfigureAwait(false);
        }

        await context.Out.WriteLineAsync(format == "json" ? line : Table(figures)).ConfigureAwait(false);
        return 0;
    }

    private static string Table(IReadOnlyDictionary<string, object> f)
    {
        (string Key, string Title)[] columns =
        [
            ("workers", "workers"), ("devices", "devices"), ("trials", "trials"), ("wall_sec", "wall s"), ("dispatches_per_sec", "disp/s"),
            ("first_wave_dispatches_per_sec", "wave disp/s"), ("coordinator_cpu_sec", "coord CPU s"), ("coordinator_cpu_percent", "CPU %"),
            ("makespan_sim_sec", "makespan sim s"), ("lower_bound_sim_sec", "lower bound"), ("makespan_over_lower_bound", "ratio"),
            ("ideal_over_lower_bound", "ideal ratio"), ("idle_ms_p50", "idle p50 ms"), ("idle_ms_p99", "idle p99 ms"),
        ];
        var widths = columns.Select(c => Math.Max(c.Title.Length, Cell(c.Key).Length)).ToList();
        var header = string.Join("  ", columns.Select((c, i) => c.Title.PadLeft(widths[i])));
        var row = string.Join("  ", columns.Select((c, i) => Cell(c.Key).PadLeft(widths[i])));
        var rest = f.Where(kv => !columns.Any(c => c.Key == kv.Key))
            .Select(kv => string.Create(CultureInfo.InvariantCulture, $"  {kv.Key,-32} {kv.Value}"));
        return string.Join(Environment.NewLine, [header, row, string.Empty, .. rest]);

        string Cell(string key) => Convert.ToString(f[key], CultureInfo.InvariantCulture) ?? string.Empty;
    }
}
