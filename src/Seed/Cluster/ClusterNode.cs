using System.Globalization;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Akka.Discovery;
using Akka.Event;
using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Contracts.Diagnostics;
using AlgoPerf.Contracts.Persistence;
using AlgoPerf.Seed.Cli;
using AlgoPerf.Seed.Orchestration;
using AlgoPerf.Trainer.Running;
using Microsoft.Extensions.Logging;

namespace AlgoPerf.Seed.Cluster;

/// <summary>What a cluster verb was given: the benchmark, the cluster settings, the journal (coordinators).</summary>
/// <param name="Role">The node's role.</param>
/// <param name="Config">The loaded configuration.</param>
/// <param name="Source">Its file.</param>
/// <param name="Settings">The benchmark.</param>
/// <param name="Cluster">How the node joins.</param>
/// <param name="Backoff">How tuners restart.</param>
/// <param name="Journal">The PostgreSQL journal (coordinators); null for workers.</param>
internal sealed record ClusterNodeOptions(NodeRole Role, Config Config, string Source, BenchmarkSettings Settings, ClusterSettings Cluster, RestartBackoff Backoff, JournalStore? Journal);

/// <summary>
/// One process of cluster mode (<c>algoperf seed</c>, <c>algoperf worker</c>): an actor system named after the
/// cluster, remoting on the configured address, /health and /metrics, the role's actors, then joining (seed nodes, or
/// Kubernetes bootstrap) within the join timeout. A coordinator runs the coordinator singleton's manager and prints
/// the scores when the benchmark is over; a worker runs a trainer per device and its agent. Both leave the cluster
/// (trainers pause with a checkpoint) when the benchmark is over, on Ctrl-C or SIGTERM, or when downed.
/// </summary>
internal static class ClusterNode
{
    /// <summary>Parses a cluster verb's arguments: <c>CONFIG</c> and the cluster flags (workers also <c>--trainers</c>, <c>--threads</c>).</summary>
    public static ClusterNodeOptions Parse(NodeRole role, CommandArgs args)
    {
        var verb = role == NodeRole.Coordinator ? "seed" : "worker";
        if (args.Positionals.Count != 1)
        {
            throw new UsageException($"usage: {verb} CONFIG.conf {ClusterSettings.FlagsUsage}{(role == NodeRole.Worker ? " [--trainers N] [--threads T]" : string.Empty)}");
        }

        var source = Path.GetFullPath(args.Positionals[0]);
        var runDir = args.Get("run-dir");
        var journalOverride = args.Get("journal") ?? Environment.GetEnvironmentVariable(JournalStore.ConnectionVariable);
        int? trainers = role == NodeRole.Worker ? args.GetInt("trainers") : null;
        int? threads = role == NodeRole.Worker ? args.GetInt("threads") : null;
        var config = AlgoPerfConfig.Load(source);
        var cluster = ClusterSettings.FromConfig(config, source, Environment.CurrentDirectory, args, Environment.GetEnvironmentVariable);
        args.EnsureAllUsed();

        var settings = BenchmarkSettings.FromConfig(config, source, Environment.CurrentDirectory).WithCommandLine(runDir, trainers, threads);

        JournalStore? journal = null;
        if (role == NodeRole.Coordinator)
        {
            journal = JournalStore.FromConfig(config, source, settings.RunDirectory, journalOverride);
            if (journal.Kind != JournalKind.Postgres)
            {
                throw new InvalidDataException(
                    $"{source}: algoperf.journal.store: a cluster's coordinators share one PostgreSQL journal; give it with --journal or {JournalStore.ConnectionVariable} (the embedded SQLite journal is for `algoperf run`)");
            }
        }

        return new ClusterNodeOptions(role, config, source, settings, cluster, RestartBackoff.FromConfig(config, source), journal);
    }

    /// <summary>Runs the node until the benchmark is over (exit 0), it is refused or cut off, or it is stopped.</summary>
    public static async Task<int> RunAsync(ClusterNodeOptions options, CliContext context, CancellationToken cancellationToken)
    {
        var settings = options.Settings;
        var verb = options.Role == NodeRole.Coordinator ? "seed" : "worker";

        // Input and machine problems stop the node before it joins, so it never takes work it cannot do.
        var submissions = TrainerBinding.ResolveSubmissions(settings);
        if (options.Role == NodeRole.Worker)
        {
            TrainerBinding.CheckMachine(settings);
        }
        else
        {
            RunManifest.WriteOrVerify(settings);
        }

        var identity = RunManifest.Identity(settings);
        var nodesDir = Path.Combine(settings.RunDirectory, "nodes");
        Directory.CreateDirectory(nodesDir);
        var logPath = Path.Combine(nodesDir, string.Create(CultureInfo.InvariantCulture, $"{verb}-{options.Cluster.Hostname}-{options.Cluster.Port}-{Environment.ProcessId}.log"));
        using var log = new LogFileRoute(logPath, line => context.Error.WriteLine(line));
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Information).AddProvider(new LogOutputLoggerProvider(context.Time)));

        var systemConfig = ClusterNodeConfig.For(options.Cluster, options.Role).WithFallback(options.Config);
        if (options.Journal is { } journal)
        {
            systemConfig = journal.ToConfig().WithFallback(systemConfig);
        }

        var system = ActorSystem.Create(options.Cluster.Name, systemConfig);
        var status = new NodeStatus(options.Role);
        var cluster = Akka.Cluster.Cluster.Get(system);
        var over = new TaskCompletionSource<WorkerExit>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            using var exporter = new PrometheusExporter();
            await using var http = options.Cluster.HttpPort >= 0
                ? await NodeHttpServer.StartAsync(new NodeHttpOptions(options.Cluster.HttpHost, options.Cluster.HttpPort, options.Cluster.HttpToken), status.Health, exporter, cancellationToken).ConfigureAwait(false)
                : null;
            await context.Error.WriteLineAsync(
                $"algoperf {verb}: {settings.Name}: node {cluster.SelfAddress} ({ClusterNodeConfig.RoleName(options.Role)}); run directory {settings.RunDirectory}; log {logPath}" +
                (http is null ? string.Empty : $"; /health and /metrics at {http.Url}")).ConfigureAwait(false);

            if (options.Role == NodeRole.Coordinator)
            {
                StartCoordinator(system, options, submissions, identity, status, over, context.Time);
            }
            else
            {
                StartWorker(system, options, submissions, identity, status, over, context, loggerFactory.CreateLogger("trainer"));
            }

            var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            cluster.RegisterOnMemberUp(() => up.TrySetResult());
            try
            {
                using var joining = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                joining.CancelAfter(options.Cluster.JoinTimeout);
                await JoinAsync(system, options.Cluster, context.Time, joining.Token).ConfigureAwait(false);
                await up.Task.WaitAsync(options.Cluster.JoinTimeout, context.Time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await context.Error.WriteLineAsync(
                    $"algoperf {verb}: error: Kubernetes bootstrap found fewer than {options.Cluster.Bootstrap.RequiredContactPoints} coordinator pods labelled app={options.Cluster.Bootstrap.ServiceName} within {options.Cluster.JoinTimeout.TotalSeconds:0} s (algoperf.cluster.join-timeout)").ConfigureAwait(false);
                return 1;
            }
            catch (TimeoutException)
            {
                await context.Error.WriteLineAsync(
                    $"algoperf {verb}: error: could not join the cluster '{options.Cluster.Name}' through {(options.Cluster.Bootstrap.Enabled ? "Kubernetes bootstrap" : string.Join(", ", options.Cluster.SeedNodes))} within {options.Cluster.JoinTimeout.TotalSeconds:0} s " +
                    $"(algoperf.cluster.join-timeout): no seed node let this node in. Check that the coordinators run and that --seed-nodes names them; a node whose algoperf.cluster.name ('{options.Cluster.Name}') differs from the coordinators' is never let in").ConfigureAwait(false);
                return 1;
            }

            status.Up = true;
            using var members = StartMemberGauges(cluster, context.Time);
            await context.Error.WriteLineAsync($"algoperf {verb}: joined the cluster '{options.Cluster.Name}' as {cluster.SelfAddress}").ConfigureAwait(false);

            var terminated = system.WhenTerminated;
            var ended = await Task.WhenAny(over.Task, terminated, Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
            if (ended == over.Task)
            {
                var exit = await over.Task.ConfigureAwait(false);
                if (exit.ExitCode == 0)
                {
                    await context.Out.WriteAsync(exit.Message).ConfigureAwait(false);
                }
                else
                {
                    await context.Error.WriteLineAsync($"algoperf {verb}: {exit.Message}").ConfigureAwait(false);
                }

                return exit.ExitCode;
            }

            if (ended == terminated && CoordinatedShutdown.Get(system).ShutdownReason is CoordinatedShutdown.ClrExitReason)
            {
                await context.Error.WriteLineAsync($"algoperf {verb}: stopped by a signal; trials paused with a checkpoint where they could").ConfigureAwait(false);
                return 143;
            }

            if (ended == terminated)
            {
                await context.Error.WriteLineAsync($"algoperf {verb}: error: this node was removed from the cluster (downed by the split brain resolver, or it lost the coordinators); its trials continue on other workers from their checkpoints. See {logPath}").ConfigureAwait(false);
                return 1;
            }

            return 130;
        }
        finally
        {
            // Leaving: trainers pause with a checkpoint (service-requests-done), then the node leaves the cluster so the
            // others see it go at once instead of after the failure detector and the split brain resolver.
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance).ConfigureAwait(false);
        }
    }

    private static void StartCoordinator(ActorSystem system, ClusterNodeOptions options, IReadOnlyDictionary<string, RunSubmission> submissions, string identity, NodeStatus status, TaskCompletionSource<WorkerExit> over, TimeProvider time)
    {
        var settings = options.Settings;
        var setup = new CoordinatorSetup(
            settings,
            identity,
            submissions.ToDictionary(kv => kv.Key, kv => kv.Value.Space, StringComparer.Ordinal),
            options.Backoff,
            settings.Gangs,
            options.Cluster.ReconcileTimeout,
            decisions => BenchmarkRun.WriteReport(settings, decisions, line => LogOutput.Write(LogSeverity.Warning, line)).Text,
            status,
            time,
            BenchmarkRun.LiveSetup(settings, submissions));
        system.ActorOf(
            ClusterSingletonManager.Props(CoordinatorActor.Props(setup), PoisonPill.Instance, ClusterSingletonManagerSettings.Create(system)),
            "coordinator");
        system.ActorOf(Akka.Actor.Props.Create(() => new OverListener(over)), "benchmark-over");
    }

    private static void StartWorker(ActorSystem system, ClusterNodeOptions options, IReadOnlyDictionary<string, RunSubmission> submissions, string identity, NodeStatus status, TaskCompletionSource<WorkerExit> over, CliContext context, ILogger logger)
    {
        var settings = options.Settings;
        var trainers = TrainerBinding.CreateTrainers(system, settings, submissions, context.Time, logger, options.Cluster.Hostname, options.Cluster.RedeliverEvery);
        TrainerBinding.DrainOnShutdown(system, trainers);
        var devices = TrainerBinding.Devices(settings, TorchEnvironment.CudaDevices, logger);
        system.ActorOf(WorkerAgent.Props(trainers, devices, identity, options.Cluster.CutOffStop, context.Time, over, status), WorkerAgent.Name);
    }

    private static async Task JoinAsync(ActorSystem system, ClusterSettings settings, TimeProvider time, CancellationToken cancellationToken)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        if (!settings.Bootstrap.Enabled)
        {
            cluster.JoinSeedNodes([.. settings.SeedNodes.Select(s => Address.Parse(settings.SeedAddress(s)))]);
            return;
        }

        // Kubernetes: the coordinators' pods (label app=<service-name>) through the Kubernetes API, once at least
        // required-contact-points of them exist; every node sorts them the same way, so the same pod is the first
        // seed everywhere and only it may form a new cluster.
        var discovery = Discovery.Get(system).LoadServiceDiscovery("kubernetes-api");
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var resolved = await discovery.Lookup(new Lookup(settings.Bootstrap.ServiceName), TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            var hosts = resolved.Addresses.Select(a => a.Address?.ToString() ?? a.Host).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (hosts.Count >= settings.Bootstrap.RequiredContactPoints)
            {
                system.Log.Info("cluster bootstrap: coordinators {0}", string.Join(", ", hosts));
                cluster.JoinSeedNodes([.. hosts.Select(h => Address.Parse(settings.SeedAddress(string.Create(CultureInfo.InvariantCulture, $"{h}:{settings.Port}"))))]);
                return;
            }

            system.Log.Info("cluster bootstrap: {0} of {1} coordinator pod(s) found; looking again", hosts.Count, settings.Bootstrap.RequiredContactPoints);
            await Task.Delay(TimeSpan.FromSeconds(2), time, cancellationToken).ConfigureAwait(false);
        }
    }

    // The cluster gauges of /metrics, read from this node's view every 2 s.
    private static ITimer StartMemberGauges(Akka.Cluster.Cluster cluster, TimeProvider time) =>
        time.CreateTimer(
            _ =>
            {
                var state = cluster.State;
                AlgoPerfMetrics.SetClusterMembers(state.Members.Count, state.Unreachable.Count);
            },
            null,
            TimeSpan.Zero,
            TimeSpan.FromSeconds(2));

    /// <summary>A coordinator's subscriber to <see cref="BenchmarkOver"/>: it completes the node's run with the scores.</summary>
    private sealed class OverListener : ReceiveActor
    {
        public OverListener(TaskCompletionSource<WorkerExit> over)
        {
            Receive<SubscribeAck>(_ => { });
            Receive<BenchmarkOver>(o => over.TrySetResult(o.Failed ? new WorkerExit(1, o.ScoreText.TrimEnd()) : new WorkerExit(0, o.ScoreText)));
        }

        protected override void PreStart() =>
            DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(ClusterNodeConfig.BenchmarkTopic, Self));
    }
}
