using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlgoPerf.Seed.Cli;
using AlgoPerf.Trainer.Distributed;
using AlgoPerf.Trainer.Models;
using AlgoPerf.Trainer.Running;
using AlgoPerf.Trainer.Workloads;
using AlgoPerf.Trainer.Workloads.Bench;
using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Seed.Commands.Bench;

/// <summary>
/// <c>./algoperf bench dp --workload W --ranks K --reducer inprocess|gloo --seconds S [--threads T] [--batch B]
/// [--allreduce-mb M] [--format json]</c>: data-parallel training steps per second. K ranks, threads of this process
/// with T intra-op threads each, train one model of the workload on their shards of one fixed random global batch
/// (the step benchmark's: forward, loss, <c>WorkloadModel.Backward</c> with the gradients averaged over the ranks, an
/// AdamW update), in lockstep for S seconds after 3 warm-up steps. The reducer's all-reduce bandwidth is measured on
/// its own for an M MB float32 gradient (10 by default). Prints one JSON object <c>{workload, ranks, reducer,
/// steps_per_sec, global_batch, allreduce_gb_per_sec}</c> (the bandwidth null for one rank). Compare K ranks against
/// <c>--ranks 1</c> at the same global batch and threads per rank. With <c>--reducer gloo</c> the ranks are still
/// threads of this process, each with its own Gloo context over TCP on 127.0.0.1, as ranks in separate processes on one
/// host would be.
/// </summary>
internal sealed class DataParallelBenchmark : IBenchmark
{
    private static readonly TimeSpan GangTimeout = TimeSpan.FromMinutes(2);

    public string Name => "dp";

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        var workload = args.Required("workload");
        var ranks = args.GetInt("ranks") ?? 2;
        var reducer = args.Choice("reducer", "inprocess", "inprocess", "gloo");
        var seconds = args.GetDouble("seconds") ?? 5;
        var threads = args.GetInt("threads") ?? 1;
        var globalBatch = args.GetInt("batch") ?? DevSuite.BenchBatchSize(workload);
        var allreduceMb = args.GetDouble("allreduce-mb") ?? 10;
        var format = args.Choice("format", "text", "text", "json");
        args.EnsureAllUsed();
        if (!DevSuite.Names.Contains(workload, StringComparer.Ordinal))
        {
            throw new UsageException($"--workload must be one of {string.Join(", ", DevSuite.Names)} (got '{workload}')");
        }

        if (ranks < 1 || threads < 1 || !(seconds > 0) || !(allreduceMb > 0) || globalBatch < 1)
        {
            throw new UsageException("--ranks, --threads and --batch must be at least 1, --seconds and --allreduce-mb above 0");
        }

        if (globalBatch % ranks != 0)
        {
            throw new UsageException($"--batch {globalBatch} does not divide by --ranks {ranks}: every rank trains on an equal shard of the global batch");
        }

        TorchAllocator.KeepFreedMemory();
        using var gangs = new Reducers(reducer);
        var stepsPerSec = MeasureSteps(workload, ranks, threads, globalBatch, seconds, ranks == 1 ? null : gangs.Create(ranks, GangTimeout));
        double? bandwidth = ranks == 1
            ? null
            : ReducerBandwidth.Measure(gangs.Create(ranks, GangTimeout), ranks, (long)(allreduceMb * 1e6), TimeSpan.FromSeconds(Math.Min(seconds, 5)));
        var result = new JsonObject
        {
            ["workload"] = workload,
            ["ranks"] = ranks,
            ["reducer"] = reducer,
            ["steps_per_sec"] = Math.Round(stepsPerSec, 3),
            ["global_batch"] = globalBatch,
            ["allreduce_gb_per_sec"] = bandwidth is double b ? Math.Round(b, 3) : null,
            ["allreduce_mb"] = allreduceMb,
            ["threads_per_rank"] = threads,

            // Threads of one process share glibc's malloc arenas; ./algoperf starts with one (docs/data-parallel.md).
            ["malloc_arena_max"] = Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX"),
        };
        var text = format == "json" ? result.ToJsonString() : result.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        await context.Out.WriteLineAsync(text).ConfigureAwait(false);
        return 0;
    }

    /// <summary>Steps per second of the gang (rank 0's count; the ranks move in lockstep).</summary>
    private static double MeasureSteps(string name, int ranks, int threads, int globalBatch, double seconds, Func<int, IGradientReducer>? gang)
    {
        try
        {
            return RankThreads.Run(
                ranks,
                rank =>
                {
                    // OpenMP's thread count is per calling thread: each rank sets its own, as a trial thread does.
                    torch.set_num_threads(threads);
                    using var reducer = gang?.Invoke(rank);
                    return RankSteps(name, rank, ranks, globalBatch, seconds, reducer);
                },
                "bench dp rank")[0];
        }
        catch (AggregateException e)
        {
            throw new InvalidOperationException($"bench dp: a rank failed: {e.InnerExceptions[0].Message}", e.InnerExceptions[0]);
        }
    }

    private static double RankSteps(string name, int rank, int ranks, int globalBatch, double seconds, IGradientReducer? reducer)
    {
        using var generator = new Generator(0);
        using var model = DevSuite.CreateModel(name, generator);
        model.Gang = reducer;
        using var global = DevSuite.RandomBatch(name, globalBatch, generator);
        using var batch = Shard(global, rank, ranks);
        using var optimizer = new BenchAdamW(model.parameters());
        var lossFn = StepBenchmark.LossFunction(name);
        for (var i = 0; i < 3; i++)
        {
            Step(model, batch, optimizer, lossFn);
        }

        var (steps, elapsed) = Lockstep(rank, reducer, seconds, () => Step(model, batch, optimizer, lossFn));
        return steps / elapsed;
    }

    /// <summary>Repeats <paramref name="work"/> on every rank until rank 0 has seen <paramref name="seconds"/> pass: the count and the seconds.</summary>
    private static (long Count, double Seconds) Lockstep(int rank, IGradientReducer? reducer, double seconds, Action work)
    {
        long count = 0;
        var start = Stopwatch.GetTimestamp();
        var limit = TimeSpan.FromSeconds(seconds);
        Span<double> stop = [0];
        while (true)
        {
            // Rank 0's clock decides, so every rank does the same number of rounds (as the runner's agreement does).
            stop[0] = rank == 0 && Stopwatch.GetElapsedTime(start) >= limit ? 1 : 0;
            reducer?.AllReduce(stop, ReduceOp.Max);
            if (stop[0] > 0)
            {
                return (count, Stopwatch.GetElapsedTime(start).TotalSeconds);
            }

            work();
            count++;
        }
    }

    private static void Step(WorkloadModel model, Batch batch, BenchAdamW optimizer, Func<Tensor, Tensor, Tensor> lossFn)
    {
        using var scope = torch.NewDisposeScope();
        optimizer.ZeroGrad();
        model.Backward(lossFn(batch.Targets, model.forward(batch.Inputs)));
        optimizer.Step();
    }

    /// <summary>Rank <paramref name="rank"/>'s equal slice of every input and of the targets, as contiguous copies.</summary>
    private static Batch Shard(Batch global, int rank, int ranks)
    {
        var size = global.Count / ranks;
        var start = rank * size;
        return new Batch([.. global.Inputs.Select(Rows)], Rows(global.Targets), global.Mask is { } mask ? Rows(mask) : null);

        Tensor Rows(Tensor t)
        {
            using var view = t.narrow(0, start, size);
            return view.contiguous();
        }
    }

    /// <summary>Makes the benchmark's gangs: in-process groups, or Gloo gangs over loopback through one rendezvous store.</summary>
    private sealed class Reducers(string name) : IDisposable
    {
        private readonly GlooStoreServer? _store = name == "gloo" ? new GlooStoreServer(System.Net.IPAddress.Loopback) : null;
        private int _gangs;

        /// <summary>A new gang of <paramref name="ranks"/>: rank r's reducer, made on rank r's thread.</summary>
        public Func<int, IGradientReducer> Create(int ranks, TimeSpan timeout)
        {
            if (_store is null)
            {
                var group = new InProcessReducerGroup(ranks, timeout);
                return group.Rank;
            }

            var gangId = $"bench-dp#{++_gangs}";
            return rank => GlooReducer.Connect(rank, ranks, _store.Address, gangId, "127.0.0.1", timeout);
        }

        public void Dispose() => _store?.Dispose();
    }
}
