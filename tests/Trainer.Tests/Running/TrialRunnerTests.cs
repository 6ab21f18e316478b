using TorchSharp;
using static TorchSharp.torch;
using AlgoPerf.Trainer.Checkpoints;
using AlgoPerf.Trainer.Logging;
using AlgoPerf.Trainer.Models;
using AlgoPerf.Trainer.Running;
using AlgoPerf.Trainer.Submissions;
using AlgoPerf.Trainer.Timing;
using AlgoPerf.Trainer.Workloads;
using Microsoft.Extensions.Logging;

namespace AlgoPerf.Trainer.Tests.Running;

[Collection("Torch")]
public sealed class TrialRunnerTests : IDisposable
{
    private const long Steps = 5;
    private readonly string _root = Directory.CreateTempSubdirectory("trial-runner-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Resume_CancelledAtRandomStep_BitIdenticalToUninterruptedRun()
    {
        var stopAt = Random.Shared.NextInt64(1, Steps);
        var (expected, expectedParams) = Uninterrupted();

        var dir = Path.Combine(_root, "resumed");
        var first = RunUntilCancelled(stopAt, FmnistFixture.Options(dir));
        Assert.Equal(LoopEndReason.Cancelled, first.Outcome.Reason);
        Assert.Equal(stopAt, first.Outcome.GlobalStep);
        Assert.Equal(stopAt, first.Checkpoints[^1].GlobalStep);

        var (resumed, resumedParams) = Run(FmnistFixture.Options(dir));
        Assert.Equal(stopAt, resumed.ResumedFromStep);
        Assert.Equal(1, resumed.PreemptionCount);
        AssertSameTrajectory(expected, expectedParams, resumed, resumedParams, $"stopped at step {stopAt}");
    }

    [Fact]
    public void Resume_AfterStopBetweenCheckpoints_ReplaysStepsToBitIdenticalResult()
    {
        var (expected, expectedParams) = Uninterrupted();

        // Checkpoints after every second eval, none on cancel: stopping after step 3 loses step 3, as a crash would.
        var dir = Path.Combine(_root, "replayed");
        var options = FmnistFixture.Options(dir) with { CheckpointEveryEvals = 2, CheckpointOnCancel = false };
        var first = RunUntilCancelled(3, options);
        Assert.Equal([2L], first.Checkpoints.Select(c => c.GlobalStep));

        var (resumed, resumedParams) = Run(options);
        Assert.Equal(2, resumed.ResumedFromStep);
        AssertSameTrajectory(expected, expectedParams, resumed, resumedParams, "resumed from step 2 after stopping at 3");
    }

    [Fact]
    public void Resume_LatestCheckpointCorrupt_PreviousUsedAndErrorLogged()
    {
        var (expected, expectedParams) = Uninterrupted();

        var dir = Path.Combine(_root, "corrupt");
        var options = FmnistFixture.Options(dir) with { CheckpointOnCancel = false };
        var first = RunUntilCancelled(3, options);
        var latest = first.Checkpoints[^1].Path;
        Assert.EndsWith(CheckpointStore.FileName(3), latest, StringComparison.Ordinal);
        var bytes = File.ReadAllBytes(latest);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(latest, bytes);

        var logger = new ListLogger();
        var (resumed, resumedParams) = Run(options with { Logger = logger });

        Assert.Equal(2, resumed.ResumedFromStep);
        var rejected = Assert.Single(resumed.RejectedCheckpoints);
        Assert.Contains(CheckpointStore.FileName(3), rejected, StringComparison.Ordinal);
        Assert.Contains("checksum", rejected, StringComparison.Ordinal);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains(CheckpointStore.FileName(3), StringComparison.Ordinal));
        Assert.True(File.Exists(latest + ".corrupt"));
        AssertSameTrajectory(expected, expectedParams, resumed, resumedParams, "fell back to step 2");
    }

    [Fact]
    public void Resume_LatestCheckpointOfTheOldBinding_TrialFailsAndNothingIsQuarantinedOrRestarted()
    {
        var dir = Path.Combine(_root, "old-binding");
        var options = FmnistFixture.Options(dir) with { CheckpointOnCancel = false };
        var first = RunUntilCancelled(3, options);
        var latest = first.Checkpoints[^1].Path;
        var contents = TensorFile.Load(latest);
        string metadata;
        List<KeyValuePair<string, Tensor>> tensors;
        using (contents)
        {
            metadata = contents.Metadata.Replace("\"version\":2,", "\"version\":1,", StringComparison.Ordinal);
            tensors = [.. contents.Names.Select(n => KeyValuePair.Create(n, contents[n]))];
            TensorFile.Save(latest, tensors, metadata);
        }

        var checkpoints = Directory.GetFiles(Path.GetDirectoryName(latest)!).Order(StringComparer.Ordinal).ToArray();

        var e = Assert.Throws<IncompatibleCheckpointException>(() => Run(options));

        Assert.Equal(latest, e.FilePath);
        Assert.Equal(checkpoints, Directory.GetFiles(Path.GetDirectoryName(latest)!).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Run_ShortTrial_WritesAlgoPerfTrialFiles()
    {
        var dir = Path.Combine(_root, "files");
        var (result, _) = Run(FmnistFixture.Options(dir), maxSteps: 2);

        Assert.Equal(LoopEndReason.MaxSteps, result.Outcome.Reason);
        Assert.Equal(TrialLogLayout.TrialDirectory(dir, "momentum_test", 0, "fmnist_mlp", 1), result.TrialDirectory);
        Assert.Equal("{\n  \"learning_rate\": 0.05,\n  \"momentum\": 0.9\n}", File.ReadAllText(Path.Combine(result.TrialDirectory, HparamsFile.FileName)));
        Assert.Contains("\"rng_seed\": 42", File.ReadAllText(Path.Combine(result.TrialDirectory, "meta_data_0.json")), StringComparison.Ordinal);
        var evalRows = File.ReadAllLines(Path.Combine(result.TrialDirectory, MetricsLogger.EvalMeasurementsFileName));
        Assert.Equal(3, evalRows.Length);
        Assert.Contains("validation/accuracy", evalRows[0], StringComparison.Ordinal);
        Assert.Contains("score", evalRows[0], StringComparison.Ordinal);
        var rows = File.ReadAllLines(Path.Combine(result.TrialDirectory, MetricsLogger.MeasurementsFileName));
        Assert.Equal(1 + 1 + 2 + 1, rows.Length); // header, submission row at step 0, two evals, final score
        Assert.Contains("\"reason\": \"max_steps\"", File.ReadAllText(Path.Combine(result.TrialDirectory, TrialRecorder.OutcomeFileName(0))), StringComparison.Ordinal);
        Assert.Equal(2, result.Checkpoints.Count);

        // Run again (as after a tuner recovery): resumes from the final checkpoint and ends at once, same reason.
        var (again, _) = Run(FmnistFixture.Options(dir), maxSteps: 2);
        Assert.Equal((LoopEndReason.MaxSteps, 2L, 2L, 1), (again.Outcome.Reason, again.Outcome.GlobalStep, again.ResumedFromStep, again.PreemptionCount));
        Assert.Equal(2, again.Outcome.EvalResults.Count);
    }

    private (TrialRunResult Result, float[][] Params) Uninterrupted() => Run(FmnistFixture.Options(Path.Combine(_root, "uninterrupted")));

    private static (TrialRunResult Result, float[][] Params) Run(TrialRunnerOptions options, long maxSteps = Steps)
    {
        var snapshot = new ParameterSnapshot();
        var submission = new MomentumSubmission();
        var result = new TrialRunner(options).Run(FmnistFixture.Workload, new SnapshottingSubmission(submission, snapshot), FmnistFixture.Request(maxSteps));
        return (result, snapshot.Values);
    }

    private static TrialRunResult RunUntilCancelled(long stopAt, TrialRunnerOptions options)
    {
        using var control = new TrialControl();
        var observer = new CancelAt(stopAt, control);
        return new TrialRunner(options).Run(FmnistFixture.Workload, new MomentumSubmission(), FmnistFixture.Request(Steps), observer, control);
    }

    private static void AssertSameTrajectory(TrialRunResult expected, float[][] expectedParams, TrialRunResult actual, float[][] actualParams, string what)
    {
        Assert.Equal(expected.Outcome.Reason, actual.Outcome.Reason);
        Assert.Equal(expected.Outcome.GlobalStep, actual.Outcome.GlobalStep);
        Assert.Equal(expected.Outcome.EvalResults.Count, actual.Outcome.EvalResults.Count);
        for (var i = 0; i < expected.Outcome.EvalResults.Count; i++)
        {
            var e = expected.Outcome.EvalResults[i];
            var a = actual.Outcome.EvalResults[i];
            Assert.Equal(e.GlobalStep, a.GlobalStep);
            var metricNames = e.Metrics.Keys.Where(k => k.Contains('/', StringComparison.Ordinal)).ToList();
            Assert.Equal(8, metricNames.Count);
            foreach (var name in metricNames)
            {
                Assert.True(BitConverter.DoubleToInt64Bits(e.Metrics[name]) == BitConverter.DoubleToInt64Bits(a.Metrics[name]), $"{what}: eval {i} {name}: {e.Metrics[name]:R} vs {a.Metrics[name]:R}");
            }
        }

        Assert.Equal(expectedParams.Length, actualParams.Length);
        for (var p = 0; p < expectedParams.Length; p++)
        {
            Assert.True(expectedParams[p].AsSpan().SequenceEqual(actualParams[p]), $"{what}: parameter #{p} differs");
        }
    }

    /// <summary>Cancels the trial when a step ends; the loop stops before the next one.</summary>
    private sealed class CancelAt(long step, TrialControl control) : ITrialObserver
    {
        public void StepEnded(long globalStep, double accumulatedSubmissionTime)
        {
            if (globalStep == step)
            {
                control.Cancel();
            }
        }
    }
}

/// <summary>An in-memory logger.</summary>
internal sealed class ListLogger : ILogger
{
    public List<(LogLevel Level, string Message)> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        lock (Entries)
        {
            Entries.Add((logLevel, formatter(state, exception)));
        }
    }
}
