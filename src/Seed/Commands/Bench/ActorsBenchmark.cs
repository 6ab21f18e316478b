using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using AlgoPerf.Seed.Cli;

namespace AlgoPerf.Seed.Commands.Bench;

/// <summary>
/// <c>./algoperf bench actors [--format json] [--messages 20000000] [--pairs N] [--in-flight 1000] [--fanout 16]
/// [--asks 20000] [--events 200000]</c>: in-process message throughput of Akka.NET and its ask latency, on Akka's
/// default dispatcher with its default throughput (<c>throughput_setting</c>), plus a persistent actor on Akka's
/// in-memory journal.
/// <list type="bullet">
/// <item>Ping-pong: <c>--pairs</c> pairs of <c>ReceiveActor</c>s (default: one per core) bounce <c>--in-flight</c>
/// messages each until <c>--messages</c> have been delivered in all.</item>
/// <item>Fan-out: one thread sends <c>--messages</c> messages round-robin to <c>--fanout</c> counting actors.</item>
/// <item>Ask: <c>--asks</c> sequential <c>Ask</c>s of an echo actor (after a warm-up); p50/p99 in microseconds.</item>
/// <item>Persist: a <see cref="BenchWriter"/> (<c>ReceivePersistentActor</c>) on
/// <c>akka.persistence.journal.inmem</c> persists <c>--events</c> events one <c>Persist</c> at a time (each handler
/// persists the next), then a new instance recovers them: the persistence runtime's own cost per event.</item>
/// </list>
/// <c>messages_per_sec</c> is all messages of both throughput runs over their total time; <c>dead_letters</c> counts
/// Akka's <see cref="DeadLetter"/>s (balls still bouncing when the ping-pong actors stop).
/// </summary>
internal sealed class ActorsBenchmark : IBenchmark
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(10);

    /// <summary>The in-memory journal and snapshot store of the persist measurement.</summary>
    private static readonly Config s_config = ConfigurationFactory.ParseString("""
        akka.persistence {
          journal.plugin = "akka.persistence.journal.inmem"
          snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        }
        """).WithFallback(BenchAkka.Logging);

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

        var system = ActorSystem.Create("bench-actors", s_config);
        var result = new Dictionary<string, object> { ["runtime"] = BenchAkka.Runtime };
        try
        {
            var deadLetters = system.ActorOf(Props.Create(() => new DeadLetterCounter()), "dead-letter-counter");
            system.EventStream.Subscribe(deadLetters, typeof(DeadLetter));

            // Warm-up (JIT, thread pool) with a tenth of the load, then the measured runs.
            await PingPongAsync(system, pairs, inFlight, messages / 10).ConfigureAwait(false);
            await FanOutAsync(system, fanout, messages / 10).ConfigureAwait(false);
            var (pingPongMessages, pingPongTime) = await PingPongAsync(system, pairs, inFlight, messages).ConfigureAwait(false);
            var (fanOutMessages, fanOutTime) = await FanOutAsync(system, fanout, messages).ConfigureAwait(false);
            var (p50, p99, mean) = await AskLatencyAsync(system, asks, cancellationToken).ConfigureAwait(false);
            var (persistTime, recoverTime) = await PersistAsync(system, events, cancellationToken).ConfigureAwait(false);
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
            result["throughput_setting"] = system.Settings.Config.GetInt("akka.actor.default-dispatcher.throughput");
            result["cores"] = Environment.ProcessorCount;
            result["dead_letters"] = await deadLetters.Ask<long>(DeadLetterCounter.GetCount.Instance, s_timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }

        await BenchAkka.WriteAsync(context, format, result).ConfigureAwait(false);
        return 0;
    }

    private static async Task<(long Messages, TimeSpan Elapsed)> PingPongAsync(ActorSystem system, int pairs, int inFlight, int messages)
    {
        var perPing = messages / pairs / 2;
        var left = pairs;
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actors = new List<IActorRef>();
        var pings = new IActorRef[pairs];
        Action done = () =>
        {
            if (Interlocked.Decrement(ref left) == 0)
            {
                finished.TrySetResult();
            }
        };
        for (var p = 0; p < pairs; p++)
        {
            var pong = system.ActorOf(Props.Create(() => new Pong()));
            var ping = system.ActorOf(Props.Create(() => new Ping(pong, perPing, done)));
            actors.Add(pong);
            actors.Add(ping);
            pings[p] = ping;
        }

        var watch = Stopwatch.StartNew();
        foreach (var ping in pings)
        {
            for (var i = 0; i < inFlight; i++)
            {
                ping.Tell(Ball.Instance, ActorRefs.NoSender);
            }
        }

        await finished.Task.ConfigureAwait(false);
        var elapsed = watch.Elapsed;
        await StopAllAsync(actors).ConfigureAwait(false);

        // Every ping received perPing balls and its pong at least as many; in-flight balls still bouncing are not counted.
        return (2L * perPing * pairs, elapsed);
    }

    private static async Task<(long Messages, TimeSpan Elapsed)> FanOutAsync(ActorSystem system, int fanout, int messages)
    {
        var perActor = messages / fanout;
        var left = fanout;
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Action done = () =>
        {
            if (Interlocked.Decrement(ref left) == 0)
            {
                finished.TrySetResult();
            }
        };
        var sinks = new IActorRef[fanout];
        for (var i = 0; i < fanout; i++)
        {
            sinks[i] = system.ActorOf(Props.Create(() => new Sink(perActor, done)));
        }

        var watch = Stopwatch.StartNew();
        for (var n = 0; n < perActor; n++)
        {
            for (var i = 0; i < sinks.Length; i++)
            {
                sinks[i].Tell(Ball.Instance, ActorRefs.NoSender);
            }
        }

        await finished.Task.ConfigureAwait(false);
        var elapsed = watch.Elapsed;
        await StopAllAsync(sinks).ConfigureAwait(false);
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

        await echo.GracefulStop(s_timeout).ConfigureAwait(false);
        Array.Sort(samples);
        return (samples[(int)(0.50 * (asks - 1))], samples[(int)(0.99 * (asks - 1))], samples.Average());
    }

    private static async Task<(TimeSpan Persist, TimeSpan Recover)> PersistAsync(ActorSystem system, int events, CancellationToken cancellationToken)
    {
        const string Stream = "bench-writer";
        var writer = system.ActorOf(BenchWriter.Props(Stream));
        var persisted = await BenchAkka.AskAsync<BenchPersisted>(writer, new PersistSingles(events, TimeSpan.MaxValue), s_timeout, cancellationToken).ConfigureAwait(false);
        await writer.GracefulStop(s_timeout).ConfigureAwait(false);
        var start = Stopwatch.GetTimestamp();
        var reader = system.ActorOf(BenchWriter.Props(Stream));
        var recovered = await BenchAkka.AskAsync<BenchRecovered>(reader, GetBenchRecovery.Instance, s_timeout, cancellationToken).ConfigureAwait(false);
        await reader.GracefulStop(s_timeout).ConfigureAwait(false);
        if (persisted.Events != events || recovered.Events != events)
        {
            throw new InvalidDataException($"persisted {persisted.Events} and recovered {recovered.Events} events, expected {events}");
        }

        return (persisted.Elapsed, Stopwatch.GetElapsedTime(start, recovered.CompletedAt));
    }

    private static Task StopAllAsync(IEnumerable<IActorRef> actors) => Task.WhenAll(actors.Select(a => a.GracefulStop(s_timeout)));

    private sealed record Ball
    {
        public static Ball Instance { get; } = new();
    }

    private sealed class Ping : ReceiveActor
    {
        private long _received;

        public Ping(IActorRef pong, long target, Action done)
        {
            Receive<Ball>(ball =>
            {
                _received++;
                if (_received < target)
                {
                    pong.Tell(ball, Self);
                }
                else if (_received == target)
                {
                    done();
                }
            });
        }
    }

    private sealed class Pong : ReceiveActor
    {
        public Pong() => Receive<Ball>(ball => Sender.Tell(ball, Self));
    }

    private sealed class Sink : ReceiveActor
    {
        private long _received;

        public Sink(long target, Action done) => Receive<Ball>(_ =>
        {
            if (++_received == target)
            {
                done();
            }
        });
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => Receive<Ball>(ball => Sender.Tell(ball, Self));
    }

    /// <summary>Counts the <see cref="DeadLetter"/>s published on the event stream.</summary>
    private sealed class DeadLetterCounter : ReceiveActor
    {
        private long _count;

        public DeadLetterCounter()
        {
            Receive<DeadLetter>(_ => _count++);
            Receive<GetCount>(_ => Sender.Tell(_count));
        }

        public sealed record GetCount
        {
            public static GetCount Instance { get; } = new();
        }
    }
}
