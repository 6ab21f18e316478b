using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using AlgoPerf.Seed.Cli;
using AlgoPerf.Seed.Cluster;
using AlgoPerf.Seed.Orchestration;
using AlgoPerf.Trainer.Actors;
using AlgoPerf.Tuner.Plans;

namespace AlgoPerf.Seed.Commands.Bench;

/// <content>The coordinator's side of one run (<see cref="ClusterRun"/>).</content>
internal sealed partial class ClusterBenchmark
{
    /// <summary>The coordinator's side of one run: its node, the worker processes, the measurement.</summary>
    private sealed class ClusterRun(int workers, int devicesPerWorker, IReadOnlyList<PlannedTrial> plan, double? timeScale, int evals, int processes)
    {
        public async Task<IReadOnlyDictionary<string, object>> RunAsync(CliContext context, CancellationToken cancellationToken)
        {
            var time = context.Time;
            var devices = workers * devicesPerWorker;
            var budgets = plan.Select(p => p.BudgetSec).ToList();
            var lowerBound = Math.Max(budgets.Sum() / devices, budgets.Max());
            var ideal = ListSchedule(budgets, devices);
            var scale = timeScale ?? TargetWallSec / ideal;
            var settings = NodeSettings();
            var logPath = Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"algoperf-bench-cluster-{Environment.ProcessId}-coordinator.log"));
            using var log = RouteLog(logPath, context.Error);
            var system = ActorSystem.Create(settings.Name, NodeConfig(settings, NodeRole.Coordinator));
            var children = new List<Process>();
            var exited = Task.CompletedTask;
            try
            {
                var cluster = Akka.Cluster.Cluster.Get(system);
                var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                cluster.RegisterOnMemberUp(() => up.TrySetResult());
                cluster.Join(cluster.SelfAddress);
                await up.Task.WaitAsync(settings.JoinTimeout, time, cancellationToken).ConfigureAwait(false);
                var address = cluster.SelfAddress.ToString();

                // The workers' agents subscribe to the coordinator's pub-sub topic; the real coordinator node runs its mediator too.
                DistributedPubSub.Get(system);
                await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"bench cluster: coordinator {address}; {workers} workers x {devicesPerWorker} devices in {processes} process(es); {plan.Count} trials; time-scale {scale:G4}; log {logPath}")).ConfigureAwait(false);

                // The coordinator singleton's scheduler: trainers attach as the workers register; nothing is dispatched
                // before ReconcileDone.
                Func<PlannedTrial, GangAssignment?, int, object> runMessage = (p, gang, attempt) => new StartTrial(p.Trial, p.Hyperparameters.Values, p.Seed, p.BudgetSec, gang, attempt);
                var scheduler = system.ActorOf(SchedulerActor.Props([], runMessage, TrainerBinding.CancelMessage, GangSettings.OneDevice, reconcile: true), "scheduler");
                // One milestone per worker process: its workers have all attached. The processes start one after the
                // other, each once the workers before it have attached, so no two join storms overlap.
                var milestones = Enumerable.Range(1, processes)
                    .Select(i => (Count: workers * i / processes, Done: new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)))
                    .ToList();
                system.ActorOf(Props.Create(() => new Registrar(scheduler, milestones)), "coordinator");

                var joining = time.GetTimestamp();
                var exits = new List<Task> { system.WhenTerminated };
                for (var i = 0; i < processes; i++)
                {
                    var first = workers * i / processes;
                    var count = milestones[i].Count - first;
                    var child = Process.Start(WorkerProcess(address, count, first, devicesPerWorker, scale, evals)) ?? throw new InvalidOperationException("could not start a worker process");
                    child.OutputDataReceived += (_, _) => { };
                    child.BeginOutputReadLine();
                    children.Add(child);

                    // A worker process that exits, or this node downed, ends the run.
                    exits.Add(child.WaitForExitAsync(cancellationToken));
                    exited = Task.WhenAny(exits);
                    await Until(milestones[i].Done.Task, exited, TimeSpan.FromSeconds(120 + (6 * count)), time, "the workers to attach their trainers", cancellationToken).ConfigureAwait(false);
                }

                var joinSec = time.GetElapsedTime(joining).TotalSeconds;

                var done = new TaskCompletionSource<TunerStandIn.Result>(TaskCreationOptions.RunContinuationsAsynchronously);
                WarmSerializers(system);
                var tuners = system.ActorOf(Props.Create(() => new TunerStandIn(scheduler, plan, devices, time, done)), "tuners");
                var gcBefore = GC.CollectionCount(2);
                var cpuBefore = Cpu(null);
                var workersCpuBefore = children.Sum(c => Cpu(c));
                tuners.Tell(TunerStandIn.Begin.Instance, ActorRefs.NoSender);
                var result = await Until(done.Task, exited, TimeSpan.FromSeconds((ideal * scale * 3) + 120), time, "every trial to finish", cancellationToken).ConfigureAwait(false);
                var cpu = Cpu(null) - cpuBefore;
                var workersCpu = children.Sum(c => Cpu(c)) - workersCpuBefore;
                var wall = result.Seconds(result.EndedAt);
                var makespan = wall / scale;
                var idle = result.IdleMs.Order().ToList();
                return new Dictionary<string, object>
                {
                    ["bench"] = "cluster",
                    ["simulated"] = true,
                    ["workers"] = workers,
                    ["devices_per_worker"] = devicesPerWorker,
                    ["devices"] = devices,
                    ["trials"] = plan.Count,
                    ["time_scale"] = scale,
                    ["wall_sec"] = Math.Round(wall, 2),
                    ["dispatches_per_sec"] = Math.Round(result.Attempts / wall, 1),
                    ["first_wave_trials"] = Math.Min(devices, plan.Count),
                    ["first_wave_sec"] = Math.Round(result.Seconds(result.FirstWaveAt), 3),
                    ["scheduler_first_wave_sec"] = Math.Round(result.Seconds(result.ScheduledAt), 3),
                    ["first_wave_dispatches_per_sec"] = Math.Round(Math.Min(devices, plan.Count) / result.Seconds(result.FirstWaveAt), 0),
                    ["coordinator_cpu_sec"] = Math.Round(cpu, 2),
                    ["coordinator_cpu_percent"] = Math.Round(100 * cpu / wall, 1),
                    ["coordinator_cpu_ms_per_trial"] = Math.Round(1000 * cpu / plan.Count, 2),
                    ["coordinator_cpu_measured"] = "process CPU time of the coordinator node's own process (scheduler, registrar, tuner stand-in, remoting, cluster), over the run",
                    ["coordinator_gen2_gcs"] = GC.CollectionCount(2) - gcBefore,
                    ["workers_cpu_sec"] = Math.Round(workersCpu, 2),
                    ["worker_processes"] = processes,
                    ["makespan_sim_sec"] = Math.Round(makespan, 0),
                    ["lower_bound_sim_sec"] = Math.Round(lowerBound, 0),
                    ["makespan_over_lower_bound"] = Math.Round(makespan / lowerBound, 4),
                    ["ideal_list_schedule_sim_sec"] = Math.Round(ideal, 0),
                    ["ideal_over_lower_bound"] = Math.Round(ideal / lowerBound, 4),
                    ["makespan_over_ideal"] = Math.Round(makespan / ideal, 4),
                    ["overhead_wall_sec"] = Math.Round(wall - (ideal * scale), 2),
                    ["last_dispatch_sim_sec"] = Math.Round(result.Seconds(result.LastStartAt) / scale, 0),
                    ["idle_ms_mean"] = idle.Count == 0 ? 0 : Math.Round(idle.Average(), 1),
                    ["idle_ms_p50"] = Percentile(idle, 0.5),
                    ["idle_ms_p99"] = Percentile(idle, 0.99),
                    ["idle_ms_max"] = idle.Count == 0 ? 0 : Math.Round(idle[^1], 1),
                    ["evals"] = result.Evals,
                    ["attempts"] = result.Attempts,
                    ["failed"] = result.Failed,
                    ["redelivered_duplicates"] = result.Duplicates,
                    ["join_sec"] = Math.Round(joinSec, 1),
                    ["evals_per_trial"] = evals,
                    ["runtime"] = BenchAkka.Runtime,
                    ["cores"] = Environment.ProcessorCount,
                    ["load_average_1min"] = LoadAverage(),
                    ["heartbeat_pause"] = HeartbeatPause,
                    ["downing"] = "off",
                };
            }
            finally
            {
                log.Quiet = true;
                await StopAsync(children, system, time).ConfigureAwait(false);
            }
        }

        // The host's 1-minute load average at the end (Linux; -1 elsewhere), as the run's CPU contention: the cores are shared.
        private static double LoadAverage()
        {
            try
            {
                return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                return -1;
            }
        }

        private static double Percentile(List<double> sorted, double q) =>
            sorted.Count == 0 ? 0 : Math.Round(sorted[(int)Math.Round(q * (sorted.Count - 1))], 1);

        // CPU seconds of this process (null) or of a child.
        private static double Cpu(Process? child)
        {
            if (child is not null)
            {
                child.Refresh();
                return child.HasExited ? 0 : child.TotalProcessorTime.TotalSeconds;
            }

            using var self = Process.GetCurrentProcess();
            return self.TotalProcessorTime.TotalSeconds;
        }

        // The awaited task, unless a worker process exits or the time runs out first.
        private static async Task<T> Until<T>(Task<T> task, Task exited, TimeSpan limit, TimeProvider time, string what, CancellationToken cancellationToken)
        {
            var first = await Task.WhenAny(task, exited, Task.Delay(limit, time, cancellationToken)).ConfigureAwait(false);
            if (first == task)
            {
                return await task.ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            throw new InvalidOperationException(first == exited
                ? $"bench cluster: a worker process exited, or the coordinator's node stopped, while waiting for {what} (the errors are above)"
                : $"bench cluster: waited {limit.TotalSeconds:0} s for {what}");
        }

        private static async Task Until(Task task, Task exited, TimeSpan limit, TimeProvider time, string what, CancellationToken cancellationToken) =>
            await Until(task.ContinueWith(_ => true, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default), exited, limit, time, what, cancellationToken).ConfigureAwait(false);

        // Worker processes end when their standard input closes; the coordinator's node goes after them.
        private static async Task StopAsync(List<Process> children, ActorSystem system, TimeProvider time)
        {
            foreach (var child in children)
            {
                try
                {
                    child.StandardInput.Close();
                }
                catch (IOException)
                {
                    // It has exited.
                }
            }

            foreach (var child in children)
            {
                using (child)
                {
                    try
                    {
                        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30), time).ConfigureAwait(false);
                    }
                    catch (TimeoutException)
                    {
                        child.Kill(entireProcessTree: true);
                    }
                }
            }

            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(30), time).ConfigureAwait(false);
        }
    }
}
