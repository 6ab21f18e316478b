using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Contracts.Persistence;
using AlgoPerf.Contracts.Serialization;
using AlgoPerf.Seed.Cli;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AlgoPerf.Seed.Commands.Bench;

/// <summary>
/// <c>./algoperf bench journal --store sqlite|postgres [--format json] [--events 100000] [--batch 100] [--seconds 2]
/// [--actors 50] [--path FILE] [--connection CS] [--config FILE]</c>: Akka.NET persistence on the product's journal
/// (Akka.Persistence.Sql with the product's <c>reference.conf</c> and event serializer), measured with
/// <see cref="BenchWriter"/>, a <c>ReceivePersistentActor</c> of <see cref="BenchSample"/> events (about the size of an
/// <c>eval-recorded</c> event with three metrics):
/// <list type="bullet">
/// <item><c>appends_per_sec</c>: one actor persisting one event at a time (each <c>Persist</c> handler persists the
/// next) for <c>--seconds</c>.</item>
/// <item><c>concurrent_appends_per_sec</c>: <c>--actors</c> actors doing the same at once (the plugin may write their
/// events together).</item>
/// <item><c>batched_appends_per_sec</c>: one actor persisting <c>--events</c> events with <c>PersistAll</c> of
/// <c>--batch</c>, each batch after the previous one is stored; <c>batched_cpu_sec</c> is the process's CPU seconds
/// meanwhile.</item>
/// <item><c>recovery_sec</c>: a new instance of that actor, from <c>ActorOf</c> to <c>RecoveryCompleted</c> (replay and
/// deserialization of the <c>--events</c> events), median of 3; <c>recovery_cpu_sec</c> is the CPU seconds per
/// run.</item>
/// </list>
/// The CPU figures separate the cost of the code from waiting for the disk or for cores that other processes hold.
/// SQLite runs with the shipped settings (<see cref="SqliteJournalFile.Prepare"/>: WAL, synchronous FULL) in a
/// temporary file (or <c>--path</c>, kept); PostgreSQL on <c>--connection</c>, else <c>ALGOPERF_BENCH_PG</c>, else
/// <c>ALGOPERF_TEST_PG</c> (<c>scripts/postgres.sh start</c> prints one), in a fresh schema that is dropped afterwards.
/// </summary>
internal sealed class JournalBenchmark : IBenchmark
{
    private static readonly TimeSpan s_askTimeout = TimeSpan.FromMinutes(10);

    public string Name => "journal";

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        var storeKind = args.Choice("store", "sqlite", "sqlite", "postgres");
        var format = args.Choice("format", "text", "text", "json");
        var events = args.GetInt("events") ?? 100_000;
        var batch = args.GetInt("batch") ?? 100;
        var seconds = args.GetDouble("seconds") ?? 2.0;
        var actors = args.GetInt("actors") ?? 50;
        var path = args.Get("path");
        var connection = args.Get("connection");
        var overlay = args.Get("config") is { } configFile ? AlgoPerfConfig.ParseFile(configFile) : null;
        args.EnsureAllUsed();
        if (events < batch || batch < 1 || seconds <= 0 || actors < 1)
        {
            throw new UsageException("--events must be >= --batch >= 1, --seconds > 0 and --actors >= 1");
        }

        var tempDirectory = Path.Combine(Path.GetTempPath(), "algoperf-bench-" + Guid.NewGuid().ToString("N"));
        string? schema = null;
        JournalStore store;
        if (storeKind == "sqlite")
        {
            var file = path ?? Path.Combine(tempDirectory, "journal.db");
            SqliteJournalFile.Prepare(file);
            store = JournalStore.Sqlite(file);
        }
        else
        {
            connection ??= Environment.GetEnvironmentVariable("ALGOPERF_BENCH_PG") ?? Environment.GetEnvironmentVariable("ALGOPERF_TEST_PG")
                ?? throw new UsageException("--store postgres needs --connection, ALGOPERF_BENCH_PG or ALGOPERF_TEST_PG (scripts/postgres.sh start prints a connection string)");
            schema = "bench_" + Guid.NewGuid().ToString("N")[..12];
            await ExecuteAsync(connection, $"CREATE SCHEMA {schema}").ConfigureAwait(false);
            store = JournalStore.Postgres(connection, schema);
        }

        Dictionary<string, object> figures;
        try
        {
            var system = ActorSystem.Create("bench-journal", Config(store, overlay));
            try
            {
                figures = await MeasureAsync(system, events, batch, TimeSpan.FromSeconds(seconds), actors, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await system.Terminate().ConfigureAwait(false);
            }
        }
        finally
        {
            if (schema is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await ExecuteAsync(connection!, $"DROP SCHEMA IF EXISTS {schema} CASCADE").ConfigureAwait(false);
            }
            else
            {
                SqliteConnection.ClearAllPools();
            }

            if (Directory.Exists(tempDirectory))
            {
                Directory.Delete(tempDirectory, recursive: true);
            }
        }

        var result = new Dictionary<string, object> { ["store"] = storeKind, ["runtime"] = BenchAkka.Runtime };
        foreach (var (key, value) in figures)
        {
            result[key] = value;
        }

        await BenchAkka.WriteAsync(context, format, result).ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// The product's configuration on <paramref name="store"/>, with this assembly's <see cref="BenchSample"/> added to
    /// the event serializer's assemblies and Akka's log on standard error; <c>--config FILE</c> settings (e.g. the
    /// plugin's batch sizes) on top, to measure them before they go into <c>reference.conf</c>.
    /// </summary>
    private static Config Config(JournalStore store, Config? overlay)
    {
        var assemblies = AlgoPerfConfig.Reference.GetStringList(EventSerializer.AssembliesPath, [])
            .Append(typeof(BenchSample).Assembly.GetName().Name!)
            .Select(a => "\"" + a + "\"");
        return ConfigurationFactory.ParseString($"{EventSerializer.AssembliesPath} = [{string.Join(", ", assemblies)}]")
            .WithFallback(overlay ?? Akka.Configuration.Config.Empty)
            .WithFallback(BenchAkka.Logging)
            .WithFallback(store.ToConfig())
            .WithFallback(AlgoPerfConfig.Reference);
    }

    private static async Task ExecuteAsync(string connection, string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(connection);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task<Dictionary<string, object>> MeasureAsync(ActorSystem system, int events, int batch, TimeSpan duration, int actors, CancellationToken cancellationToken)
    {
        // Streams unique to this run, so a --path file that already holds a run is appended to, not conflicted with.
        var run = Guid.NewGuid().ToString("N")[..8];

        // Warm-up: JIT, connection pools, table creation, the serializer; a write of each kind and a recovery.
        var warmup = system.ActorOf(BenchWriter.Props($"bench-warmup-{run}"));
        await BenchAkka.AskAsync<BenchPersisted>(warmup, new PersistSingles(200, TimeSpan.MaxValue), s_askTimeout, cancellationToken).ConfigureAwait(false);
        await BenchAkka.AskAsync<BenchPersisted>(warmup, new PersistBatches(2 * batch, batch), s_askTimeout, cancellationToken).ConfigureAwait(false);
        await warmup.GracefulStop(s_askTimeout).ConfigureAwait(false);
        await RecoverAsync(system, $"bench-warmup-{run}", 200 + (2 * batch), cancellationToken).ConfigureAwait(false);

        // Single appends: one actor, each Persist stored before the next (latency-bound, one write each).
        var single = system.ActorOf(BenchWriter.Props($"bench-single-{run}"));
        var singles = await BenchAkka.AskAsync<BenchPersisted>(single, new PersistSingles(long.MaxValue, duration), s_askTimeout, cancellationToken).ConfigureAwait(false);
        var singlePerSec = singles.Events / singles.Elapsed.TotalSeconds;
        await single.GracefulStop(s_askTimeout).ConfigureAwait(false);

        // Concurrent single appends: --actors actors, each persisting one event at a time.
        var writers = Enumerable.Range(0, actors).Select(i => system.ActorOf(BenchWriter.Props($"bench-concurrent-{run}-{i}"))).ToList();
        foreach (var writer in writers)
        {
            // Recovered (an empty stream) before the clock starts.
            await BenchAkka.AskAsync<BenchRecovered>(writer, GetBenchRecovery.Instance, s_askTimeout, cancellationToken).ConfigureAwait(false);
        }

        var watch = Stopwatch.StartNew();
        var concurrent = await Task.WhenAll(writers.Select(w => BenchAkka.AskAsync<BenchPersisted>(w, new PersistSingles(long.MaxValue, duration), s_askTimeout, cancellationToken))).ConfigureAwait(false);
        var concurrentPerSec = concurrent.Sum(p => p.Events) / watch.Elapsed.TotalSeconds;
        await Task.WhenAll(writers.Select(w => w.GracefulStop(s_askTimeout))).ConfigureAwait(false);

        // Batched appends: the recovery stream, written with PersistAll of --batch events.
        var stream = $"bench-recovery-{run}";
        var batcher = system.ActorOf(BenchWriter.Props(stream));
        await BenchAkka.AskAsync<BenchRecovered>(batcher, GetBenchRecovery.Instance, s_askTimeout, cancellationToken).ConfigureAwait(false);
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var batched = await BenchAkka.AskAsync<BenchPersisted>(batcher, new PersistBatches(events, batch), s_askTimeout, cancellationToken).ConfigureAwait(false);
        var batchedCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        var batchedPerSec = batched.Events / batched.Elapsed.TotalSeconds;
        await batcher.GracefulStop(s_askTimeout).ConfigureAwait(false);

        // Recovery: a new instance of the stream's actor, from ActorOf to RecoveryCompleted; median of three runs.
        cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var runs = new double[3];
        for (var r = 0; r < runs.Length; r++)
        {
            runs[r] = (await RecoverAsync(system, stream, events, cancellationToken).ConfigureAwait(false)).TotalSeconds;
        }

        var recoveryCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds / runs.Length;
        Array.Sort(runs);
        return new Dictionary<string, object>
        {
            ["appends_per_sec"] = Math.Round(singlePerSec, 1),
            ["concurrent_appends_per_sec"] = Math.Round(concurrentPerSec, 1),
            ["concurrent_actors"] = actors,
            ["batched_appends_per_sec"] = Math.Round(batchedPerSec, 1),
            ["batch_size"] = batch,
            ["batched_cpu_sec"] = Math.Round(batchedCpu, 3),
            ["recovery_cpu_sec"] = Math.Round(recoveryCpu, 3),
            ["recovery_events"] = events,
            ["recovery_sec"] = Math.Round(runs[1], 4),
            ["recovery_100k_sec"] = Math.Round(runs[1] * 100_000.0 / events, 4),
        };
    }

    /// <summary>Starts a new actor of <paramref name="stream"/> and times it from <c>ActorOf</c> to <c>RecoveryCompleted</c>.</summary>
    private static async Task<TimeSpan> RecoverAsync(ActorSystem system, string stream, long expected, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var actor = system.ActorOf(BenchWriter.Props(stream));
        var recovered = await BenchAkka.AskAsync<BenchRecovered>(actor, GetBenchRecovery.Instance, s_askTimeout, cancellationToken).ConfigureAwait(false);
        await actor.GracefulStop(s_askTimeout).ConfigureAwait(false);
        if (recovered.Events != expected || recovered.LastSequenceNr != expected)
        {
            throw new InvalidDataException($"recovery of {stream} replayed {recovered.Events} events up to sequence number {recovered.LastSequenceNr}, expected {expected}");
        }

        return Stopwatch.GetElapsedTime(start, recovered.CompletedAt);
    }
}
