using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AlgoPerf.Actors;
using AlgoPerf.Actors.Persistence;
using AlgoPerf.Actors.Persistence.Journal.Testing;
using AlgoPerf.Seed.Cli;

namespace AlgoPerf.Seed.Commands.Bench;

/// <summary>
/// <c>./algoperf bench actors [--format json] [--messages 20000000] [--pairs N] [--in-flight 1000] [--fanout 16]
/// [--asks 20000]</c>: in-process message throughput of the actor runtime and ask latency, on the default
/// (thread-pool) dispatcher with the default throughput (30 messages per turn).
/// <list type="bullet">
/// <item>Ping-pong: <c>--pairs</c> pairs (default: one per core) bounce <c>--in-flight</c> messages each until
/// <c>--messages</c> have been delivered in all.</item>
/// <item>Fan-out: one thread sends <c>--messages</c> messages round-robin to <c>--fanout</c> counting actors.</item>
/// <item>Ask: <c>--asks</c> sequential asks of an echo actor (after a warm-up); p50/p99 in microseconds.</item>
/// <item>Persist: a <see cref="PersistentActor"/> on the in-memory journal persists <c>--events</c> events one
/// <c>Persist</c> at a time (each handler persists the next), then recovers them: the runtime's own cost per event.</item>
/// </list>
/// <c>messages_per_sec</c> is all messages of both throughput runs over their total time.
/// </summary>
internal sealed class ActorsBenchmark : IBenchmark
{
    public string Name => "actors";

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        var format = args.Choice("format", "text", "text", "json");
        var messages = args.GetInt("messages") ?? 20_000_000;
        var pairs = args.GetInt("pairs") ?? Environment.ProcessorCount;
        var inFlight = args.GetInt("in-flight") ?? 1000;
        var fanout = args.GetInt("fanout") ?? 16;
        var asks = args.GetInt("asks") ?? 20_000;
        var events = args.GetInt("events") ?? 200_000;
        args.EnsureAllUsed();
        if (pairs < 1 || inFlight < 1 || fanout < 1 || asks < 100 || events < 1 || messages < 2 * pairs * inFlight || messages < fanout)
        {
            throw new UsageException("--pairs, --in-flight, --fanout must be >= 1, --asks >= 100, --events >= 1, --messages >= 2 * pairs * in-flight and >= fanout");
        }

        var system = ActorSystem.Create("bench-actors");
        var result = new Dictionary<string, object>();
        try
        {
            // Warm-up (JIT, thread pool) with a tenth of the load, then the measured runs.
            await PingPongAsync(system, pairs, inFlight, messages / 10).ConfigureAwait(false);
            await FanOutAsync(system, fanout, messages / 10).ConfigureAwait(false);
            var (pingPongMessages, pingPongTime) = await PingPongAsync(system, pairs, inFlight, messages).ConfigureAwait(false);
            var (fanOutMessages, fanOutTime) = await FanOutAsync(system, fanout, messages).ConfigureAwait(false);
            var (p50, p99, mean) = await AskLatencyAsync(system, asks, cancellationToken).ConfigureAwait(false);
            var (persistTime, recoverTime) = await PersistAsync(system, events).ConfigureAwait(false);
            result["messages_per_sec"] = Math.Round((pingPongMessages + fanOutMessages) / (pingPongTime + fanOutTime).TotalSeconds, 0);
            result["pingpong_messages_per_sec"] = Math.Round(pingPongMessages / pingPongTime.TotalSeconds, 0);
            result["fanout_messages_per_sec"] = Math.Round(fanOutMessages / fanOutTime.TotalSeconds, 0);
            result["ask_p50_us"] = Math.Round(p50, 2);
            result["ask_p99_us"] = Math.Round(p99, 2);
            result["ask_mean_us"] = Math.Round(mean, 2);
            result["persist_events_per_sec"] = Math.Round(events / persistTime.TotalSeconds, 0);
            result["recovery_events_per_sec"] = Math.Round(events / recoverTime.TotalSeconds, 0);
            result["pairs"] = pairs;
            result["in_flight"] = inFlight;
            result["fanout"] = fanout;
            result["messages"] = messages;
            result["throughput_setting"] = system.Settings.Throughput;
            result["cores"] = Environment.ProcessorCount;
            result["dead_letters"] = system.DeadLetterCount;
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }

        if (format == "json")
        {
            await context.Out.WriteLineAsync(JsonSerializer.Serialize(result)).ConfigureAwait(false);
        }
        else
        {
            foreach (var (key, value) in result)
            {
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{key,-28} {value}")).ConfigureAwait(false);
            }
        }

        return 0;
    }

    private static async Task<(long Messages, TimeSpan Elapsed)> PingPongAsync(ActorSystem system, int pairs, int inFlight, int messages)
    {
        var perPing = messages / pairs / 2;
        var left = pairs;
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actors = new List<IActorRef>();
        var pings = new IActorRef[pairs];
        for (var p = 0; p < pairs; p++)
        {
            var pong = system.ActorOf(Props.Create(() => new Pong()));
            var ping = system.ActorOf(Props.Create(() => new Ping(pong, perPing, () =>
            {
                if (Interlocked.Decrement(ref left) == 0)
                {
                    finished.TrySetResult();
                }
            })));
            actors.Add(pong);
            actors.Add(ping);
            pings[p] = ping;
        }

        var watch = Stopwatch.StartNew();
        foreach (var ping in pings)
        {
            for (var i = 0; i < inFlight; i++)
            {
                ping.Tell(Ball.Instance, null);
            }
        }

        await finished.Task.ConfigureAwait(false);
        var elapsed = watch.Elapsed;
        foreach (var actor in actors)
        {
            system.Stop(actor);
        }

        // Every ping received perPing balls and its pong at least as many; in-flight balls still bouncing are not counted.
        return (2L * perPing * pairs, elapsed);
    }

    private static async Task<(long Messages, TimeSpan Elapsed)> FanOutAsync(ActorSystem system, int fanout, int messages)
    {
        var perActor = messages / fanout;
        var left = fanout;
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sinks = new IActorRef[fanout];
        for (var i = 0; i < fanout; i++)
        {
            sinks[i] = system.ActorOf(Props.Create(() => new Sink(perActor, () =>
            {
                if (Interlocked.Decrement(ref left) == 0)
                {
                    finished.TrySetResult();
                }
            })));
        }

        var watch = Stopwatch.StartNew();
        for (var n = 0; n < perActor; n++)
        {
            for (var i = 0; i < sinks.Length; i++)
            {
                sinks[i].Tell(Ball.Instance, null);
            }
        }

        await finished.Task.ConfigureAwait(false);
        var elapsed = watch.Elapsed;
        foreach (var sink in sinks)
        {
            system.Stop(sink);
        }

        return ((long)perActor * fanout, elapsed);
    }

    private static async Task<(double P50, double P99, double Mean)> AskLatencyAsync(ActorSystem system, int asks, CancellationToken cancellationToken)
    {
        var echo = system.ActorOf(Props.Create(() => new Echo()));
        var timeout = TimeSpan.FromSeconds(10);
        for (var i = 0; i < 1000; i++)
        {
            await echo.Ask<Ball>(Ball.Instance, timeout, cancellationToken).ConfigureAwait(false);
        }

        var samples = new double[asks];
        for (var i = 0; i < asks; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await echo.Ask<Ball>(Ball.Instance, timeout, cancellationToken).ConfigureAwait(false);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        system.Stop(echo);
        Array.Sort(samples);
        return (samples[(int)(0.50 * (asks - 1))], samples[(int)(0.99 * (asks - 1))], samples.Average());
    }

    private static async Task<(TimeSpan Persist, TimeSpan Recover)> PersistAsync(ActorSystem system, int events)
    {
        // One replay page: the in-memory journal scans its whole stream per page, which would measure it, not the actor.
        var runtime = new PersistenceRuntime(new MemoryJournal(), settings: new PersistenceSettings { ReplayBatchSize = events });
        var persisted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var recovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watch = Stopwatch.StartNew();
        var writer = system.ActorOf(Props.Create(() => new Writer(runtime, events, persisted, null)));
        await persisted.Task.ConfigureAwait(false);
        var persistTime = watch.Elapsed;
        system.Stop(writer);
        watch.Restart();
        var reader = system.ActorOf(Props.Create(() => new Writer(runtime, 0, null, recovered)));
        await recovered.Task.ConfigureAwait(false);
        var recoverTime = watch.Elapsed;
        system.Stop(reader);
        return (persistTime, recoverTime);
    }

    private sealed class Writer(PersistenceRuntime runtime, int events, TaskCompletionSource? persisted, TaskCompletionSource? recovered) : PersistentActor(runtime)
    {
        private long _count;

        public override string PersistenceId => "bench-writer";

        protected override void ReceiveRecover(object message)
        {
            if (message is RecoveryCompleted)
            {
                recovered?.TrySetResult();
                if (events > 0)
                {
                    Self.Tell(Ball.Instance, Self);
                }
            }
            else
            {
                _count++;
            }
        }

        protected override void ReceiveCommand(object message) => Next();

        private void Next() => Persist(_count + 1, n =>
        {
            _count = n;
            if (n < events)
            {
                Next();
            }
            else
            {
                persisted?.TrySetResult();
            }
        });
    }

    private sealed class Ball
    {
        public static Ball Instance { get; } = new();
    }

    private sealed class Ping(IActorRef pong, long target, Action done) : ActorBase
    {
        private long _received;

        protected override void OnReceive(object message)
        {
            _received++;
            if (_received < target)
            {
                pong.Tell(message, Self);
            }
            else if (_received == target)
            {
                done();
            }
        }
    }

    private sealed class Pong : ActorBase
    {
        protected override void OnReceive(object message) => Sender.Tell(message, Self);
    }

    private sealed class Sink(long target, Action done) : ActorBase
    {
        private long _received;

        protected override void OnReceive(object message)
        {
            if (++_received == target)
            {
                done();
            }
        }
    }

    private sealed class Echo : ActorBase
    {
        protected override void OnReceive(object message) => Sender.Tell(message, Self);
    }
}
