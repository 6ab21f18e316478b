using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlgoPerf.Seed.Cli;
using TorchSharp;
using static TorchSharp.torch;
using AlgoPerf.Trainer.Running;
using AlgoPerf.Trainer.Timing;
using AlgoPerf.Trainer.Workloads;
using AlgoPerf.Trainer.Workloads.Bench;

namespace AlgoPerf.Seed.Commands.Bench;

/// <summary>
/// <c>./algoperf bench step --workload W --threads T --seconds S [--format json] [--no-peer]</c>: training steps per
/// second of a dev-suite workload, timing the same step as the PyTorch peer (<c>benchmarks/peers/torch_step_bench.py</c>):
/// forward, the workload's loss, backward and an AdamW update (lr 1e-3) on one fixed random batch of the peer's
/// shapes and batch size, after 3 warm-up steps, for S seconds of wall time. Prints one JSON object
/// <c>{workload, steps_per_sec, param_count, batch, threads}</c>, plus <c>peer_steps_per_sec</c> and <c>ratio</c>
/// when the peer ran (same workload and threads, in the same command, after ours).
/// </summary>
internal sealed class StepBenchmark : IBenchmark
{
    private const string PeerScript = "benchmarks/peers/torch_step_bench.py";

    // The U-Net is not in the shared peer; its peer script times it with the shared peer's own run().
    private const string UNetPeerScript = "benchmarks/peers/torch_unet_step_bench.py";

    public string Name => "step";

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        var workload = args.Required("workload");
        var threads = args.GetInt("threads") ?? 1;
        var seconds = args.GetDouble("seconds") ?? 5;
        var format = args.Choice("format", "text", "text", "json");
        var python = args.Get("python") ?? "/usr/bin/python3";
        var skipPeer = args.Has("no-peer");
        var traceMemory = args.Has("trace-memory");
        var loopOverhead = args.Has("loop-overhead");
        args.EnsureAllUsed();
        if (!DevSuite.Names.Contains(workload, StringComparer.Ordinal))
        {
            throw new UsageException($"--workload must be one of {string.Join(", ", DevSuite.Names)} (got '{workload}')");
        }

        if (threads < 1 || !(seconds > 0))
        {
            throw new UsageException("--threads must be at least 1 and --seconds above 0");
        }

        torch.set_num_threads(threads);
        TorchAllocator.KeepFreedMemory();
        var batchSize = DevSuite.BenchBatchSize(workload);
        var (steps, elapsed, paramCount, memory) = Measure(workload, batchSize, seconds);
        var result = new JsonObject
        {
            ["workload"] = workload,
            ["steps_per_sec"] = Math.Round(steps / elapsed, 3),
            ["param_count"] = paramCount,
            ["batch"] = batchSize,
            ["threads"] = threads,
        };
        if (loopOverhead)
        {
            var (raw, looped) = MeasureLoopOverhead(workload, batchSize, steps);
            result["loop_steps"] = Math.Max(1, steps / Rounds) * Rounds;
            result["raw_sec"] = Math.Round(raw, 6);
            result["loop_sec"] = Math.Round(looped, 6);
            result["loop_overhead_pct"] = Math.Round(100 * (looped - raw) / raw, 2);
        }

        if (traceMemory)
        {
            // Flatness over the timed steps: live tensor handles and resident memory after warm-up and at the end.
            result["live_handles_after_warmup"] = memory.HandlesAfterWarmup;
            result["live_handles_end"] = memory.HandlesEnd;
            result["rss_mb_after_warmup"] = Math.Round(memory.RssAfterWarmup / 1048576.0, 1);
            result["rss_mb_end"] = Math.Round(memory.RssEnd / 1048576.0, 1);
        }

        if (!skipPeer && HasPeer(workload))
        {
            var peer = await RunPeerAsync(python, workload, threads, seconds, cancellationToken).ConfigureAwait(false);
            var peerRate = peer["steps_per_sec"]!.GetValue<double>();
            result["peer_steps_per_sec"] = peerRate;
            result["peer_param_count"] = peer["param_count"]!.GetValue<long>();
            result["ratio"] = Math.Round(steps / elapsed / peerRate, 3);
        }

        var text = format == "json" ? result.ToJsonString() : result.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        await context.Out.WriteLineAsync(text).ConfigureAwait(false);
        return 0;
    }

    // The peer defines the five base architectures and torch_unet_step_bench.py the U-Net; variants have no peer.
    private static bool HasPeer(string workload) => DevSuite.Family(workload) == workload;

    private readonly record struct MemoryTrace(long HandlesAfterWarmup, long HandlesEnd, long RssAfterWarmup, long RssEnd);

    private static long ResidentBytes()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    private static (long Steps, double Seconds, long ParamCount, MemoryTrace Memory) Measure(string name, int batchSize, double seconds)
    {
        using var generator = new Generator(0);
        using var model = DevSuite.CreateModel(name, generator);
        using var batch = DevSuite.RandomBatch(name, batchSize, generator);
        using var optimizer = new BenchAdamW(model.parameters());
        var lossFn = LossFunction(name);
        for (var i = 0; i < 3; i++)
        {
            Step(model, batch, optimizer, lossFn);
        }

        var (handlesAfterWarmup, rssAfterWarmup) = (TorchEnvironment.LiveTensors, ResidentBytes());
        long steps = 0;
        var start = Stopwatch.GetTimestamp();
        var limit = TimeSpan.FromSeconds(seconds);
        TimeSpan elapsed;
        while ((elapsed = Stopwatch.GetElapsedTime(start)) < limit)
        {
            Step(model, batch, optimizer, lossFn);
            steps++;
        }

        return (steps, elapsed.TotalSeconds, model.ParameterCount(), new MemoryTrace(handlesAfterWarmup, TorchEnvironment.LiveTensors, rssAfterWarmup, ResidentBytes()));
    }

    /// <summary>
    /// The same steps bare and through the AlgoPerf timed loop (clock, train_state, step seeds, budget check every
    /// step, an eval period no step reaches, so only the first and last step run the no-op eval), in
    /// <see cref="Rounds"/> alternating rounds so that drift of the machine hits both sides alike. Returns the summed
    /// seconds of each side over <paramref name="steps"/> steps in all.
    /// </summary>
    private static (double Raw, double Loop) MeasureLoopOverhead(string name, int batchSize, long steps)
    {
        using var generator = new Generator(0);
        using var model = DevSuite.CreateModel(name, generator);
        using var batch = DevSuite.RandomBatch(name, batchSize, generator);
        using var optimizer = new BenchAdamW(model.parameters());
        var lossFn = LossFunction(name);
        var spec = DevSuiteSpecs.Get(name);
        var callbacks = new TimedLoopCallbacks<Batch>
        {
            SelectData = _ => batch,
            Update = (_, b) =>
            {
                Step(model, b, optimizer, lossFn);
                return UpdateResult.NoLoss;
            },
            Evaluate = _ => s_noMetrics,
        };
        for (var i = 0; i < 3; i++)
        {
            Step(model, batch, optimizer, lossFn);
        }

        double raw = 0, loop = 0;
        var perRound = Math.Max(1, steps / Rounds);
        for (var round = 0; round < Rounds; round++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < perRound; i++)
            {
                Step(model, batch, optimizer, lossFn);
            }

            raw += Stopwatch.GetElapsedTime(start).TotalSeconds;
            var clock = new AlgoPerfClock(new ClockSettings(EvalPeriodSec: 1e9, MaxAllowedRuntimeSec: 1e9, BudgetCheckedEveryStep: true, CallsPrepareForEval: true, MaxGlobalSteps: perRound), TimeProvider.System);
            start = Stopwatch.GetTimestamp();
            new TimedLoop<Batch>(spec, clock, callbacks, loopSeed: 0).Run();
            loop += Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        return (raw, loop);
    }

    private const int Rounds = 10;

    private static readonly Dictionary<string, double> s_noMetrics = [];

    private static void Step(Trainer.Models.WorkloadModel model, Batch batch, BenchAdamW optimizer, Func<Tensor, Tensor, Tensor> lossFn)
    {
        using var scope = torch.NewDisposeScope();
        optimizer.ZeroGrad();
        lossFn(batch.Targets, model.forward(batch.Inputs)).backward();
        optimizer.Step();
    }

    // The workload's per-example loss, reduced to the mean as the peer's F.* losses do.
    internal static Func<Tensor, Tensor, Tensor> LossFunction(string name) => DevSuite.Family(name) switch
    {
        "lm_transformer" => (t, o) => LanguageModelWorkload.TokenCrossEntropy(t, o, 0).mean(),
        "dlrm_synth" => (t, o) => DlrmWorkload.BinaryCrossEntropy(t, o, 0).mean(),
        "unet_denoise" => (t, o) => DenoisingWorkload.MeanAbsoluteError(t, o).mean(),
        _ => (t, o) => nn.functional.cross_entropy(o, t),
    };

    private static Task<JsonObject> RunPeerAsync(string python, string workload, int threads, double seconds, CancellationToken cancellationToken)
    {
        var unet = workload == "unet_denoise";
        string[] arguments = [threads.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture), .. unet ? Array.Empty<string>() : [workload]];
        return PythonPeer.RunAsync(python, PythonPeer.FindScript(unet ? UNetPeerScript : PeerScript), arguments, $" for {workload}", cancellationToken);
    }
}
