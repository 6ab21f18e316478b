using System.Globalization;
using Akka.Actor;
using AlgoPerf.Seed.Cli;
using AlgoPerf.Seed.Cluster;

namespace AlgoPerf.Seed.Commands.Bench;

/// <content>The worker processes' side (<see cref="SimulatedWorkers"/>).</content>
internal sealed partial class ClusterBenchmark
{
    /// <summary>
    /// A worker process of the benchmark (<c>bench cluster --join ADDRESS</c>): worker nodes, each an actor system with
    /// its simulated trainers and the product's <see cref="WorkerAgent"/>, that join the coordinator's cluster and run
    /// until standard input closes.
    /// </summary>
    private static class SimulatedWorkers
    {
        public static async Task<int> RunAsync(string coordinator, int workers, int first, int devicesPerWorker, double timeScale, int evals, CliContext context, CancellationToken cancellationToken)
        {
            var settings = NodeSettings();
            var logPath = Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"algoperf-bench-cluster-{Environment.ProcessId}-workers.log"));
            using var log = RouteLog(logPath, context.Error);
            var systems = new List<ActorSystem>();
            var exit = new TaskCompletionSource<WorkerExit>(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                // Every node is made first, then they join ten at a time, each ten Up before the next: started all at
                // once on a few cores, their heartbeats starve and the split brain resolver downs half the cluster.
                var joins = new List<(Akka.Cluster.Cluster Cluster, Task Up)>();
                for (var w = first; w < first + workers; w++)
                {
                    var system = ActorSystem.Create(settings.Name, NodeConfig(settings, NodeRole.Worker));
                    systems.Add(system);
                    WarmSerializers(system);
                    var devices = Enumerable.Range(0, devicesPerWorker).Select(d => string.Create(CultureInfo.InvariantCulture, $"sim{w}:{d}")).ToList();
                    var trainers = devices
                        .Select((device, d) => system.ActorOf(SimulatedTrainerActor.Props(device, timeScale, evals, settings.RedeliverEvery, context.Time), string.Create(CultureInfo.InvariantCulture, $"trainer-{d}")))
                        .ToList();
                    var status = new NodeStatus(NodeRole.Worker);
                    var cluster = Akka.Cluster.Cluster.Get(system);
                    var up = MemberAsync(system).ContinueWith(_ => status.Up = true, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    system.ActorOf(WorkerAgent.Props(trainers, devices, Identity, settings.CutOffStop, context.Time, exit, status), WorkerAgent.Name);
                    joins.Add((cluster, up));
                }

                foreach (var batch in joins.Chunk(10))
                {
                    foreach (var (cluster, _) in batch)
                    {
                        cluster.JoinSeedNodes([Address.Parse(coordinator)]);
                    }

                    await Task.WhenAll(batch.Select(b => b.Up)).WaitAsync(TimeSpan.FromMinutes(5), context.Time, cancellationToken).ConfigureAwait(false);
                }

                // The coordinator closes this process's standard input when the run is over (or it died).
                var input = Task.Run(
                    async () =>
                    {
                        await using var stdin = Console.OpenStandardInput();
                        var buffer = new byte[256];
                        while (await stdin.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
                        {
                        }
                    },
                    cancellationToken);
                if (await Task.WhenAny(input, exit.Task).ConfigureAwait(false) == exit.Task)
                {
                    var refused = await exit.Task.ConfigureAwait(false);
                    await context.Error.WriteLineAsync($"bench cluster worker: {refused.Message}").ConfigureAwait(false);
                    return refused.ExitCode;
                }

                return 0;
            }
            finally
            {
                log.Quiet = true;
                await Task.WhenAll(systems.Select(s => s.Terminate())).WaitAsync(TimeSpan.FromSeconds(30), context.Time, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}
