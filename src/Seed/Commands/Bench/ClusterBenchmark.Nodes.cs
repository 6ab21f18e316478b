using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Akka.Actor;
using Akka.Configuration;
using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Contracts.Delivery;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Seed.Cli;
using AlgoPerf.Seed.Cluster;
using AlgoPerf.Trainer.Actors;

namespace AlgoPerf.Seed.Commands.Bench;

/// <content>What every benchmark node shares: settings and configuration, membership, serializer warm-up, the worker processes' command line and the log.</content>
internal sealed partial class ClusterBenchmark
{
    /// <summary>The cluster settings of the benchmark's nodes: the product's defaults, loopback, any free port, no HTTP.</summary>
    internal static ClusterSettings NodeSettings()
    {
        var args = new CommandArgs(["--hostname", "127.0.0.1", "--port", "0", "--seed-nodes", "127.0.0.1:1", "--http-port", "-1"]);
        return ClusterSettings.FromConfig(AlgoPerfConfig.Reference, "reference.conf", Environment.CurrentDirectory, args, _ => null) with { Name = "algoperf-bench-cluster" };
    }

    /// <summary>
    /// A node's Akka configuration: the product's cluster node configuration over its reference configuration, with
    /// three changes for a cluster of a hundred nodes on the few (shared) cores of one host, where nodes miss
    /// heartbeats and handshakes for seconds while they start and join (every pair of nodes associates): no downing
    /// (the split brain resolver would down them all; an unreachable node stays a member and is reachable again when
    /// its heartbeats come), a failure detector that tolerates <see cref="HeartbeatPause"/> (Akka: 3 s), and handshakes
    /// of up to a minute (Akka: 15 s). Heartbeats, gossip and remoting run at their production rates, so their cost
    /// is measured.
    /// </summary>
    internal static Config NodeConfig(ClusterSettings settings, NodeRole role) =>
        ConfigurationFactory.ParseString($"""
            akka.log-dead-letters = off
            akka.log-dead-letters-during-shutdown = off
            akka.cluster.downing-provider-class = ""
            akka.cluster.failure-detector.acceptable-heartbeat-pause = {HeartbeatPause}
            akka.remote.handshake-timeout = 60s
            akka.remote.dot-netty.tcp.connection-timeout = 60s
            akka.remote.retry-gate-closed-for = 1s
            """)
            .WithFallback(ClusterNodeConfig.For(settings, role))
            .WithFallback(AlgoPerfConfig.Reference);

    /// <summary>Completes when this node is a member that takes work: Up, or WeaklyUp while convergence waits for an unreachable node.</summary>
    internal static Task MemberAsync(ActorSystem system)
    {
        var member = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(Props.Create(() => new SelfMemberWatch(member)));
        return member.Task;
    }

    /// <summary>The node's log: a file, as a cluster node logs; warnings and errors on standard error too until <see cref="NodeLog.Quiet"/>.</summary>
    internal static NodeLog RouteLog(string path, TextWriter error) => new(path, error);

    /// <summary>
    /// Round-trips one of each message of the trial protocol through <paramref name="system"/>'s serializers, so their
    /// one-time set-up (Hyperion builds a serializer per type) is not charged to the first trials: a real run amortizes
    /// it over hours, which the time-scale would magnify.
    /// </summary>
    internal static void WarmSerializers(ActorSystem system)
    {
        var trial = new AlgoPerf.Contracts.Ids.TrialId("warm-up", "wmt", 0, 1);
        object[] samples =
        [
            new StartTrial(trial, [new KeyValuePair<string, double>("learning_rate", 1e-3)], 1, 1, null, 1),
            new TrialReport(trial, 1, 1, new TrialStarted(trial, 0, 0, 1)),
            new TrialReport(trial, 1, 2, new EvalRecorded(trial, 0, 1, 1, 0, new Dictionary<string, double>(StringComparer.Ordinal) { ["validation/loss"] = 1 })),
            new TrialReport(trial, 1, 3, new TrialFinished(trial, TrialEndReason.BudgetExhausted, 1, 1)),
            new ResultAck(trial, 1, 1),
        ];
        foreach (var sample in samples)
        {
            var serializer = system.Serialization.FindSerializerFor(sample);
            var bytes = serializer.ToBinary(sample);
            system.Serialization.Deserialize(bytes, serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, sample));
        }
    }

    /// <summary>The worker processes' command line: this executable with <c>bench cluster --join</c>.</summary>
    internal static ProcessStartInfo WorkerProcess(string address, int workers, int first, int devicesPerWorker, double timeScale, int evals)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process's executable is unknown");
        // Standard input tells the workers when to stop; their standard output (Akka prints its shutdown there) is not the figures'.
        var info = new ProcessStartInfo(host) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            info.ArgumentList.Add(Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("the entry assembly is unknown"));
        }

        string[] args =
        [
            "bench", "cluster", "--simulated", "--join", address,
            "--workers", Invariant(workers), "--first-worker", Invariant(first), "--devices-per-worker", Invariant(devicesPerWorker),
            "--time-scale", timeScale.ToString("R", CultureInfo.InvariantCulture), "--evals-per-trial", Invariant(evals),
        ];
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Completes its task when this node's own member is Up or WeaklyUp.</summary>
    private sealed class SelfMemberWatch(TaskCompletionSource member) : UntypedActor
    {
        private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);

        protected override void PreStart() =>
            _cluster.Subscribe(Self, Akka.Cluster.ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(Akka.Cluster.ClusterEvent.MemberUp), typeof(Akka.Cluster.ClusterEvent.MemberWeaklyUp));

        protected override void PostStop() => _cluster.Unsubscribe(Self);

        protected override void OnReceive(object message)
        {
            if (message is Akka.Cluster.ClusterEvent.IMemberEvent e && e.Member.Address == _cluster.SelfAddress)
            {
                member.TrySetResult();
                Context.Stop(Self);
            }
        }
    }

    /// <summary>Where a benchmark node's log lines go (<see cref="LogOutput"/> is routed here while it lives).</summary>
    internal sealed class NodeLog : IDisposable
    {
        private readonly LogFileRoute _route;
        private volatile bool _quiet;

        public NodeLog(string path, TextWriter error) =>
            _route = new LogFileRoute(path, line =>
            {
                if (!_quiet)
                {
                    error.WriteLine(line);
                }
            });

        /// <summary>Only the file from now on (the nodes shut down, and their peers' disassociations are expected).</summary>
        public bool Quiet
        {
            get => _quiet;
            set => _quiet = value;
        }

        public void Dispose() => _route.Dispose();
    }
}
