using System.Text.Json;
using static AlgoPerf.Seed.Tests.CliRunner;

namespace AlgoPerf.Seed.Tests.Commands;

/// <summary><c>algoperf bench step</c> through the CLI entry point: output shape, the peer run, error exits.</summary>
[Collection(NativeHandlesCollection.Name)]
public sealed class BenchStepTests
{
    [Fact]
    public async Task Step_TraceMemory_AddsHandleAndResidentMemoryFiguresWithFlatHandles()
    {
        // Tensors of earlier tests left to the finalizer must not be released in the middle of the measurement.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var (code, stdout, stderr) = await RunAsync("bench", "step", "--workload", "fmnist_mlp", "--threads", "1", "--seconds", "0.3", "--format", "json", "--no-peer", "--trace-memory");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(
            ["workload", "steps_per_sec", "param_count", "batch", "threads", "live_handles_after_warmup", "live_handles_end", "rss_mb_after_warmup", "rss_mb_end"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(root.GetProperty("live_handles_after_warmup").GetInt64(), root.GetProperty("live_handles_end").GetInt64());
        Assert.True(root.GetProperty("rss_mb_end").GetDouble() > 0);
    }

    [Fact]
    public async Task Step_LoopOverhead_TimesTheSameStepsBareAndThroughTheTimedLoop()
    {
        var (code, stdout, stderr) = await RunAsync("bench", "step", "--workload", "fmnist_mlp", "--threads", "1", "--seconds", "0.3", "--format", "json", "--no-peer", "--loop-overhead");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(
            ["workload", "steps_per_sec", "param_count", "batch", "threads", "loop_steps", "raw_sec", "loop_sec", "loop_overhead_pct"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.True(root.GetProperty("loop_steps").GetInt64() >= 10);
        var (raw, loop) = (root.GetProperty("raw_sec").GetDouble(), root.GetProperty("loop_sec").GetDouble());
        Assert.True(raw > 0 && loop > 0);
        Assert.Equal(Math.Round(100 * (loop - raw) / raw, 2), root.GetProperty("loop_overhead_pct").GetDouble(), 0.0101);
    }

    [Fact]
    public async Task Step_MlpWithoutPeer_PrintsTheFiveKeysWithThePeersParameterCount()
    {
        var (code, stdout, stderr) = await RunAsync("bench", "step", "--workload", "fmnist_mlp", "--threads", "1", "--seconds", "0.3", "--format", "json", "--no-peer");

        Assert.Equal((0, string.Empty), (code, stderr));
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(["workload", "steps_per_sec", "param_count", "batch", "threads"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("fmnist_mlp", root.GetProperty("workload").GetString());
        Assert.Equal(269_322, root.GetProperty("param_count").GetInt64());
        Assert.Equal(128, root.GetProperty("batch").GetInt32());
        Assert.Equal(1, root.GetProperty("threads").GetInt32());
        Assert.True(root.GetProperty("steps_per_sec").GetDouble() > 0);
        Assert.Single(stdout.Trim().Split('\n'));
    }

    [Fact]
    public async Task Step_WithPeer_RunsThePeerScriptWithThreadsSecondsAndWorkloadAndReportsTheRatio()
    {
        // A stand-in for python3: records its arguments and prints the peer's JSON line.
        var dir = Directory.CreateTempSubdirectory("algoperf-bench-").FullName;
        try
        {
            var fake = Path.Combine(dir, "python3");
            var argsFile = Path.Combine(dir, "args.txt");
            File.WriteAllText(fake, $"#!/bin/sh\necho \"$@\" > {argsFile}\necho '{{\"workload\": \"dlrm_synth\", \"steps_per_sec\": 4.0, \"param_count\": 441553}}'\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var (code, stdout, stderr) = await RunAsync("bench", "step", "--workload", "dlrm_synth", "--threads", "2", "--seconds", "0.3", "--format", "json", "--python", fake);

            Assert.Equal((0, string.Empty), (code, stderr));
            using var doc = JsonDocument.Parse(stdout);
            var root = doc.RootElement;
            Assert.Equal(441_553, root.GetProperty("param_count").GetInt64());
            Assert.Equal(441_553, root.GetProperty("peer_param_count").GetInt64());
            Assert.Equal(4.0, root.GetProperty("peer_steps_per_sec").GetDouble());
            Assert.Equal(Math.Round(root.GetProperty("steps_per_sec").GetDouble() / 4.0, 3), root.GetProperty("ratio").GetDouble(), 0.0011);
            var peerArgs = File.ReadAllText(argsFile).Trim().Split(' ');
            Assert.EndsWith("benchmarks/peers/torch_step_bench.py", peerArgs[0], StringComparison.Ordinal);
            Assert.Equal(["2", "0.3", "dlrm_synth"], peerArgs[1..]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("--workload", "imagenet_resnet")]
    [InlineData("--threads", "0")]
    [InlineData("--seconds", "0")]
    public async Task Step_BadOption_ExitsTwo(string option, string value)
    {
        string[] args = option == "--workload"
            ? ["bench", "step", option, value, "--no-peer"]
            : ["bench", "step", "--workload", "fmnist_mlp", option, value, "--no-peer"];

        var (code, stdout, stderr) = await RunAsync(args);

        Assert.Equal((2, string.Empty), (code, stdout));
        Assert.Contains(option, stderr, StringComparison.Ordinal);
    }
}
