using AlgoPerf.Trainer.Distributed;
using AlgoPerf.Trainer.Models;
using AlgoPerf.Trainer.Running;
using AlgoPerf.Trainer.Submissions;
using AlgoPerf.Trainer.Tensors;
using AlgoPerf.Trainer.Tests.Running;
using AlgoPerf.Trainer.Timing;
using AlgoPerf.Trainer.Workloads;
using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Tests.Distributed;

/// <summary>Trials run by a gang of ranks (threads of this process, the in-process reducer) against the same trial on one rank.</summary>
[Collection("Torch")]
public sealed class DataParallelTrialTests : IDisposable
{
    private const long Steps = 20;
    private static readonly TimeSpan GangTimeout = TimeSpan.FromSeconds(60);
    private readonly string _root = Directory.CreateTempSubdirectory("data-parallel-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Run_TwoRanksOnHalfBatches_SameParametersAndEvalsAsOneRankOnTheGlobalBatchAfter20Steps()
    {
        var single = RunOne(Path.Combine(_root, "k1"), new MomentumSubmission { DropoutRate = 0 });

        var dir = Path.Combine(_root, "k2");
        var group = new InProcessReducerGroup(2, GangTimeout);
        var ranks = RankThreads.Run(2, r => RunRank(dir, new MomentumSubmission { DropoutRate = 0 }, group.Rank(r)));

        Assert.All(ranks, rank =>
        {
            Assert.Equal(LoopEndReason.MaxSteps, rank.Result.Outcome.Reason);
            Assert.Equal(Steps, rank.Result.Outcome.GlobalStep);
            AssertClose(single.Params, rank.Params, 1e-5, "parameters after 20 steps");
        });

        // Bit-identical ranks: the averaged gradients are the same bytes on every rank.
        for (var p = 0; p < ranks[0].Params.Length; p++)
        {
            Assert.True(ranks[0].Params[p].AsSpan().SequenceEqual(ranks[1].Params[p]), $"parameter #{p} differs between the ranks");
        }

        // The sharded evals, reduced, are the whole splits' metrics; every rank agrees on them and on the clock.
        var evals = ranks[0].Result.Outcome.EvalResults;
        Assert.Equal(single.Result.Outcome.EvalResults.Count, evals.Count);
        for (var i = 0; i < evals.Count; i++)
        {
            Assert.Equal(ranks[1].Result.Outcome.EvalResults[i].Metrics, evals[i].Metrics);
            foreach (var name in new[] { "train/loss", "validation/accuracy", "test/loss" })
            {
                Assert.Equal(single.Result.Outcome.EvalResults[i].Metrics[name], evals[i].Metrics[name], 1e-5);
            }

            Assert.Equal(5_000, evals[i].Metrics["validation/num_examples"]);
        }

        // Rank 0 alone wrote the trial's files: one measurements file, and checkpoints only from it.
        Assert.Equal(Steps, ranks[0].Result.Checkpoints[^1].GlobalStep);
        Assert.Empty(ranks[1].Result.Checkpoints);
        Assert.True(File.Exists(Path.Combine(ranks[0].Result.TrialDirectory, "measurements.csv")));
    }

    [Fact]
    public void Run_GangCancelledOnOneRank_BothRanksPauseAtTheSameStepAndAResumedGangFinishesBitIdentically()
    {
        var uninterruptedGroup = new InProcessReducerGroup(2, GangTimeout);
        var expected = RankThreads.Run(2, r => RunRank(Path.Combine(_root, "whole"), new MomentumSubmission { DropoutRate = 0 }, uninterruptedGroup.Rank(r)));

        var dir = Path.Combine(_root, "paused");
        var first = new InProcessReducerGroup(2, GangTimeout);
        using var control = new TrialControl();
        var paused = RankThreads.Run(2, r => RunRank(dir, new MomentumSubmission { DropoutRate = 0 }, first.Rank(r), r == 1 ? new CancelAt(7, control) : null, r == 1 ? control : null));
        Assert.All(paused, p => Assert.Equal(LoopEndReason.Cancelled, p.Result.Outcome.Reason));
        Assert.All(paused, p => Assert.Equal(7, p.Result.Outcome.GlobalStep));
        Assert.Equal(7, paused[0].Result.Checkpoints[^1].GlobalStep);

        var second = new InProcessReducerGroup(2, GangTimeout);
        var resumed = RankThreads.Run(2, r => RunRank(dir, new MomentumSubmission { DropoutRate = 0 }, second.Rank(r)));
        Assert.All(resumed, p => Assert.Equal(7, p.Result.ResumedFromStep));
        Assert.All(resumed, p => Assert.Equal(Steps, p.Result.Outcome.GlobalStep));
        for (var p = 0; p < expected[0].Params.Length; p++)
        {
            Assert.True(expected[0].Params[p].AsSpan().SequenceEqual(resumed[1].Params[p]), $"parameter #{p} differs from the uninterrupted gang's");
        }
    }

    [Fact]
    public void Run_RankThatStopsArriving_OtherRankThrowsGangFailedWithinTheTimeoutAndANewGangResumesFromTheCheckpoint()
    {
        var dir = Path.Combine(_root, "failed");
        var group = new InProcessReducerGroup(2, TimeSpan.FromSeconds(2));
        var outcomes = GangThreads.OnRanksCatching(2, r => RunRank(dir, new MomentumSubmission { DropoutRate = 0, FailAtStep = r == 1 ? 5 : null }, group.Rank(r)));

        // Rank 1's submission failed before the step's all-reduce; rank 0 waited for it in vain.
        Assert.Equal(LoopEndReason.Failed, outcomes[1].Result.Result.Outcome.Reason);
        var error = Assert.IsType<GangFailedException>(outcomes[0].Error);
        Assert.Contains("waited 2 s", error.Message, StringComparison.Ordinal);

        var again = new InProcessReducerGroup(2, GangTimeout);
        var resumed = RankThreads.Run(2, r => RunRank(dir, new MomentumSubmission { DropoutRate = 0 }, again.Rank(r)));
        Assert.All(resumed, p => Assert.Equal(5, p.Result.ResumedFromStep));
        Assert.All(resumed, p => Assert.Equal(LoopEndReason.MaxSteps, p.Result.Outcome.Reason));
    }

    [Fact]
    public void Run_BatchThatDoesNotDivideByTheRanks_ThrowsNamingBothBeforeAnyFileIsWritten()
    {
        var dir = Path.Combine(_root, "odd");
        var group = new InProcessReducerGroup(2, GangTimeout);
        var outcomes = GangThreads.OnRanksCatching(2, r => RunRank(dir, new MomentumSubmission { BatchSize = 63 }, group.Rank(r)));

        Assert.All(outcomes, o => Assert.Equal(
            "trial momentum_test/fmnist_mlp/study_0/trial_1: the submission's batch size 63 for 'fmnist_mlp' does not divide by the gang's 2 ranks; data-parallel training splits every global batch into equal shards, as the reference requires",
            Assert.IsType<ArgumentException>(o.Error).Message));
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Run_SubmissionThatCallsLossBackwardInAGang_FailsTheTrialNamingModelBackward()
    {
        var dir = Path.Combine(_root, "plain-backward");
        var group = new InProcessReducerGroup(2, GangTimeout);
        var ranks = RankThreads.Run(2, r => RunRank(dir, new MomentumSubmission { UseModelBackward = false }, group.Rank(r)));

        Assert.All(ranks, rank =>
        {
            Assert.Equal(LoopEndReason.Failed, rank.Result.Outcome.Reason);
            Assert.Equal("update_params", rank.Result.Outcome.Failure!.Phase);
            Assert.Contains("call model.Backward(loss)", rank.Result.Outcome.Failure.Message, StringComparison.Ordinal);
            Assert.Equal(0, rank.Result.Outcome.GlobalStep);
        });
    }

    [Fact]
    public void Backward_BatchNormModelInAGang_RanksKeepRankZerosRunningStatsAndNormaliseWithTheirShardsStatistics()
    {
        var workload = DevSuite.Load("fmnist_resnet");
        using var batch = workload.BuildInputQueue(7, 32).Next();

        // One rank on the global batch.
        var (singleParams, singleBuffers) = TrainBatchNormModel(workload, batch, null);

        // Two ranks on its halves.
        var group = new InProcessReducerGroup(2, GangTimeout);
        var ranks = RankThreads.Run(2, r =>
        {
            using var scope = NewDisposeScope();
            using var shard = workload.BuildInputQueue(7, 32, r, 2).Next();
            return TrainBatchNormModel(workload, shard, group.Rank(r));
        });

        // The ranks hold one model: parameters from averaged gradients, buffers broadcast from rank 0 (DDP's
        // broadcast_buffers) before every training forward and before an eval.
        Assert.Equal(ranks[0].Params, ranks[1].Params);
        Assert.Equal(ranks[0].Buffers, ranks[1].Buffers);

        // Batch norm normalised each shard with the shard's own statistics (no SyncBatchNorm, as DDP by default), so
        // the gang's gradients, and with them its parameters, are not the global batch's.
        Assert.NotEqual(singleParams, ranks[0].Params);
        Assert.NotEqual(singleBuffers, ranks[0].Buffers);
    }

    private static (float[][] Params, float[][] Buffers) TrainBatchNormModel(Workload workload, Batch batch, IGradientReducer? gang)
    {
        using var model = workload.InitModel(3);
        model.Gang = gang;
        for (var step = 0; step < 2; step++)
        {
            using var scope = NewDisposeScope();
            model.zero_grad();
            var loss = workload.LossFn(batch.Targets, workload.ModelFn(model, batch, ModelMode.Train), batch.Mask).Mean();
            model.Backward(loss);
            using var noGrad = no_grad();
            foreach (var p in model.parameters())
            {
                p.add_(p.grad!, Scalars.Of(-0.1));
            }
        }

        model.BroadcastBuffers();
        return (
            [.. model.parameters().Select(p => p.ToArray<float>())],
            [.. model.buffers().Where(b => b.dtype == ScalarType.Float32).Select(b => b.ToArray<float>())]);
    }

    private static (TrialRunResult Result, float[][] Params) RunOne(string dir, MomentumSubmission submission) =>
        RunRank(dir, submission, gang: null);

    private static (TrialRunResult Result, float[][] Params) RunRank(string dir, MomentumSubmission submission, IGradientReducer? gang, ITrialObserver? observer = null, TrialControl? control = null)
    {
        using var reducer = gang;
        var snapshot = new ParameterSnapshot();
        var result = new TrialRunner(FmnistFixture.Options(dir)).Run(FmnistFixture.Workload, new SnapshottingSubmission(submission, snapshot), FmnistFixture.Request(Steps), observer, control, gang);
        return (result, snapshot.Values);
    }

    private static void AssertClose(float[][] expected, float[][] actual, double relative, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var p = 0; p < expected.Length; p++)
        {
            Assert.Equal(expected[p].Length, actual[p].Length);
            var scale = expected[p].Max(v => Math.Abs(v));
            var worst = expected[p].Zip(actual[p], (e, a) => Math.Abs(e - a)).Max();
            Assert.True(worst <= relative * scale, $"{what}: parameter #{p} differs by {worst:G3}, more than {relative:G3} of its largest magnitude {scale:G3}");
        }
    }

    /// <summary>Cancels the trial when a step ends; the gang pauses before the next one.</summary>
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
