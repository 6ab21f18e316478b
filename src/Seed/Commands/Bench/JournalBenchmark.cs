using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AlgoPerf.Actors.Persistence.Journal;
using AlgoPerf.Actors.Persistence.Journal.Postgres;
using AlgoPerf.Actors.Persistence.Journal.Sqlite;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Seed.Cli;

namespace AlgoPerf.Seed.Commands.Bench;

/// <summary>
/// <c>./algoperf bench journal --store sqlite|postgres [--format json] [--events 100000] [--batch 100] [--seconds 2]
/// [--path FILE] [--connection CS]</c>: journal appends per second (single awaited appends, concurrent single appends
/// from 16 streams, batched appends) and the time to replay a stream of <c>--events</c> events (median of 3). Payloads
/// are <c>eval-recorded</c> events with three metrics, serialized and deserialized as in a real recovery. SQLite runs
/// with the shipped defaults (WAL, synchronous FULL); PostgreSQL on <c>--connection</c>, else <c>ALGOPERF_BENCH_PG</c>,
/// else <c>ALGOPERF_TEST_PG</c>, in a fresh schema that is dropped afterwards. <c>batched_cpu_sec</c> and
/// <c>recovery_cpu_sec</c> are the process's CPU seconds in those phases (recovery: per run), which separate the cost of
/// the code from waiting for the disk or for cores that other processes hold.
/// </summary>
internal sealed class JournalBenchmark : IBenchmark
{
    private const int ConcurrentWriters = 16;

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
        var path = args.Get("path");
        var connection = args.Get("connection");
        args.EnsureAllUsed();
        if (events < batch || batch < 1 || seconds <= 0)
        {
            throw new UsageException("--events must be >= --batch >= 1 and --seconds > 0");
        }

        var tempDirectory = Path.Combine(Path.GetTempPath(), "algoperf-bench-" + Guid.NewGuid().ToString("N"));
        string? schema = null;
        PersistenceStore store;
        if (storeKind == "sqlite")
        {
            store = await PersistenceStore.OpenSqliteAsync(new SqliteStoreOptions(path ?? Path.Combine(tempDirectory, "journal.db")), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else
        {
            connection ??= Environment.GetEnvironmentVariable("ALGOPERF_BENCH_PG") ?? Environment.GetEnvironmentVariable("ALGOPERF_TEST_PG")
                ?? throw new UsageException("--store postgres needs --connection, ALGOPERF_BENCH_PG or ALGOPERF_TEST_PG");
            schema = "bench_" + Guid.NewGuid().ToString("N")[..12];
            store = await PersistenceStore.OpenPostgresAsync(new PostgresStoreOptions(connection) { Schema = schema }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        Dictionary<string, object> figures;
        try
        {
            figures = await MeasureAsync(store.Journal, events, batch, TimeSpan.FromSeconds(seconds), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await store.DisposeAsync().ConfigureAwait(false);
            if (Directory.Exists(tempDirectory))
            {
                Directory.Delete(tempDirectory, recursive: true);
            }

            if (schema is not null)
            {
                await using var dataSource = Npgsql.NpgsqlDataSource.Create(connection!);
                await using var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE");
                await drop.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        var result = new Dictionary<string, object> { ["store"] = storeKind };
        foreach (var (key, value) in figures)
        {
            result[key] = value;
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

    private static EvalRecorded Event(long i) => new(
        new TrialId("bench", "mnist", 0, 1),
        (int)i,
        i * 100,
        i * 1.5,
        i * 0.25,
        new Dictionary<string, double> { ["train/loss"] = 1.0 / (i + 1), ["validation/accuracy"] = 0.9, ["validation/loss"] = 0.3 });

    private static async Task<Dictionary<string, object>> MeasureAsync(IJournal journal, int events, int batch, TimeSpan duration, CancellationToken cancellationToken)
    {
        // Warm-up: JIT, connection pools, prepared statements.
        for (var i = 1; i <= 200; i++)
        {
            await journal.WriteAsync(new AtomicWrite("warmup", 0, [new PendingEvent(i, Event(i))]), cancellationToken).ConfigureAwait(false);
        }

        await foreach (var unused in journal.ReplayAsync("warmup", 1, long.MaxValue, long.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            _ = unused;
        }

        // Single appends: one writer, each append awaited before the next (latency-bound, one commit each).
        var single = 0L;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration)
        {
            single++;
            await journal.WriteAsync(new AtomicWrite("single", 0, [new PendingEvent(single, Event(single))]), cancellationToken).ConfigureAwait(false);
        }

        var singlePerSec = single / watch.Elapsed.TotalSeconds;

        // Concurrent single appends: 16 streams, each awaiting its own appends (the journal may commit them together).
        var concurrentCounts = new long[ConcurrentWriters];
        watch.Restart();
        await Task.WhenAll(Enumerable.Range(0, ConcurrentWriters).Select(w => Task.Run(
            async () =>
            {
                var seq = 0L;
                while (watch.Elapsed < duration)
                {
                    seq++;
                    await journal.WriteAsync(new AtomicWrite($"concurrent-{w}", 0, [new PendingEvent(seq, Event(seq))]), cancellationToken).ConfigureAwait(false);
                }

                concurrentCounts[w] = seq;
            },
            cancellationToken))).ConfigureAwait(false);
        var concurrentPerSec = concurrentCounts.Sum() / watch.Elapsed.TotalSeconds;

        // Batched appends: the recovery stream, written in atomic batches of --batch events.
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        watch.Restart();
        for (long seq = 1; seq <= events; seq += batch)
        {
            var count = (int)Math.Min(batch, events - seq + 1);
            var write = new AtomicWrite("recovery", 0, [.. Enumerable.Range(0, count).Select(i => new PendingEvent(seq + i, Event(seq + i)))]);
            await journal.WriteAsync(write, cancellationToken).ConfigureAwait(false);
        }

        var batchedPerSec = events / watch.Elapsed.TotalSeconds;
        var batchedCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        cpu0 = Process.GetCurrentProcess().TotalProcessorTime;

        // Recovery: replay (read + deserialize) the whole stream; median of three runs.
        var runs = new double[3];
        for (var r = 0; r < runs.Length; r++)
        {
            watch.Restart();
            var replayed = 0L;
            await foreach (var e in journal.ReplayAsync("recovery", 1, long.MaxValue, long.MaxValue, cancellationToken).ConfigureAwait(false))
            {
                replayed += e.Payload is EvalRecorded ? 1 : 0;
            }

            runs[r] = watch.Elapsed.TotalSeconds;
            if (replayed != events)
            {
                throw new InvalidDataException($"replay returned {replayed} events, expected {events}");
            }
        }

        var recoveryCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds / 3;
        Array.Sort(runs);
        return new Dictionary<string, object>
        {
            ["appends_per_sec"] = Math.Round(singlePerSec, 1),
            ["concurrent_appends_per_sec"] = Math.Round(concurrentPerSec, 1),
            ["batched_appends_per_sec"] = Math.Round(batchedPerSec, 1),
            ["batch_size"] = batch,
            ["batched_cpu_sec"] = Math.Round(batchedCpu, 3),
            ["recovery_cpu_sec"] = Math.Round(recoveryCpu, 3),
            ["recovery_events"] = events,
            ["recovery_sec"] = Math.Round(runs[1], 4),
            ["recovery_100k_sec"] = Math.Round(runs[1] * 100_000.0 / events, 4),
        };
    }
}
