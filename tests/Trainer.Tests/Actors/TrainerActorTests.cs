using Akka.Actor;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Trainer.Actors;
using AlgoPerf.Trainer.Submissions;
using AlgoPerf.Trainer.Tests.Running;

namespace AlgoPerf.Trainer.Tests.Actors;

[Collection("Torch")]
public sealed class TrainerActorTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly string _root = Directory.CreateTempSubdirectory("trainer-actor-").FullName;

    [Fact]
    public async Task StartTrial_TinyTrial_ReportsStartedEvalsCheckpointsAndFinished()
    {
        var trainer = Trainer(new MomentumSubmission(), maxSteps: 2);
        var probe = CreateTestProbe();
        probe.Send(trainer, Start(1));

        var started = await probe.ExpectMsgAsync<TrialStarted>(Timeout);
        Assert.Equal(new TrialStarted(FmnistFixture.Trial(1), 0, 0), started);
        for (var i = 0; i < 2; i++)
        {
            var eval = await probe.ExpectMsgAsync<EvalRecorded>(Timeout);
            Assert.Equal((i, (long)i + 1), (eval.EvalIndex, eval.GlobalStep));
            Assert.InRange(eval.Metrics["validation/accuracy"], 0, 1);
            var checkpoint = await probe.ExpectMsgAsync<CheckpointSaved>(Timeout);
            Assert.Equal(Path.Combine("momentum_test", "study_0", "fmnist_mlp_pytorch", "trial_1", $"checkpoint_{i + 1}.ckpt"), checkpoint.Path);
            Assert.Equal(64, checkpoint.Sha256.Length);
        }

        var finished = await probe.ExpectMsgAsync<TrialFinished>(Timeout);
        Assert.Equal((TrialEndReason.MaxSteps, 2L), (finished.Reason, finished.GlobalSteps));
        probe.Send(trainer, GetTrainerStatus.Instance);
        Assert.Equal(new TrainerStatus("cpu", TrainerPhase.Idle, null, 0, 0, 0, 1), await probe.ExpectMsgAsync<TrainerStatus>(Timeout));
    }

    [Fact]
    public async Task GetTrainerStatus_WhileTraining_AnsweredWithTheRunningStep()
    {
        using var reached = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        var trainer = Trainer(Blocking(atStep: 2, reached, release), maxSteps: 3);
        var probe = CreateTestProbe();
        probe.Send(trainer, Start(1));
        Assert.True(await reached.WaitAsync(Timeout), "the trial never reached step 2");

        var status = CreateTestProbe("status");
        status.Send(trainer, GetTrainerStatus.Instance);
        var s = await status.ExpectMsgAsync<TrainerStatus>(Timeout);
        release.Release();

        Assert.Equal(new TrainerStatus("cpu", TrainerPhase.Training, FmnistFixture.Trial(1), 2, 2, s.SubmissionTimeSec, 0), s);
        Assert.True(s.SubmissionTimeSec > 0);
        var finished = await probe.FishForMessageAsync<TrialFinished>(_ => true, Timeout);
        Assert.Equal(3, finished.GlobalSteps);
    }

    [Fact]
    public async Task CancelTrial_MidTrial_EndsAsCancelledWithResumableCheckpoint()
    {
        using var release = new SemaphoreSlim(0);
        var (trainer, probe) = await StartHeldAtStepOneAsync(release);

        probe.Send(trainer, new CancelTrial(FmnistFixture.Trial(1)));
        probe.Send(trainer, GetTrainerStatus.Instance);
        var status = await probe.FishForMessageAsync<TrainerStatus>(_ => true, Timeout);
        Assert.Equal(TrainerPhase.Stopping, status.Phase);
        release.Release();

        var cancelled = await probe.FishForMessageAsync<TrialCancelled>(_ => true, Timeout);
        Assert.Equal(2, cancelled.GlobalStep);
        Assert.Equal(Path.Combine("momentum_test", "study_0", "fmnist_mlp_pytorch", "trial_1", "checkpoint_2.ckpt"), cancelled.CheckpointPath);
        Assert.True(File.Exists(Path.Combine(_root, cancelled.CheckpointPath!)));
    }

    [Fact]
    public async Task StartTrial_SubmissionThrows_ReportsTrialFailedWithStackTraceAndStaysAlive()
    {
        var submissions = new Dictionary<string, ISubmission>
        {
            ["momentum_test"] = new MomentumSubmission { FailAtStep = 1 },
            ["momentum_ok"] = new MomentumSubmission(),
        };
        var trainer = Trainer(submissions, maxSteps: 2);
        var probe = CreateTestProbe();
        probe.Watch(trainer);
        probe.Send(trainer, Start(1));

        var failed = await probe.FishForMessageAsync<TrialFailed>(_ => true, Timeout);
        Assert.Equal(FmnistFixture.Trial(1), failed.Trial);
        Assert.StartsWith("update_params failed at step 1: System.InvalidOperationException: test submission fails at step 1", failed.Error, StringComparison.Ordinal);
        Assert.Contains("MomentumSubmission.Fail", failed.StackTrace, StringComparison.Ordinal);

        probe.Send(trainer, new StartTrial(FmnistFixture.Trial(1) with { Submission = "momentum_ok" }, null, 7, 1e9));
        var finished = await probe.FishForMessageAsync<TrialFinished>(_ => true, Timeout);
        Assert.Equal(TrialEndReason.MaxSteps, finished.Reason);
    }

    [Fact]
    public async Task DrainTrainer_MidTrial_PausesWithCheckpointThenAnswersDrainedAndRejectsNewTrials()
    {
        using var release = new SemaphoreSlim(0);
        var (trainer, probe) = await StartHeldAtStepOneAsync(release);

        var drainer = CreateTestProbe("drainer");
        drainer.Send(trainer, DrainTrainer.Instance);
        await drainer.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        release.Release();

        var cancelled = await probe.FishForMessageAsync<TrialCancelled>(_ => true, Timeout);
        Assert.Equal(2, cancelled.GlobalStep);
        Assert.True(File.Exists(Path.Combine(_root, cancelled.CheckpointPath!)));
        Assert.Equal(new TrainerDrained("cpu"), await drainer.ExpectMsgAsync<TrainerDrained>(Timeout));
        probe.Send(trainer, Start(2));
        Assert.Equal(new TrialRejected(FmnistFixture.Trial(2), "trainer cpu is shutting down"), await probe.ExpectMsgAsync<TrialRejected>(Timeout));
    }

    [Fact]
    public async Task DrainTrainer_Idle_AnswersDrainedAtOnce()
    {
        var trainer = Trainer(new MomentumSubmission(), maxSteps: 2);

        trainer.Tell(DrainTrainer.Instance, TestActor);

        Assert.Equal(new TrainerDrained("cpu"), await ExpectMsgAsync<TrainerDrained>(Timeout));
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>A trainer running trial 1 of a 50-step trial, held inside step 1 until <paramref name="release"/>.</summary>
    private async Task<(IActorRef Trainer, Akka.TestKit.TestProbe Probe)> StartHeldAtStepOneAsync(SemaphoreSlim release)
    {
        using var reached = new SemaphoreSlim(0);
        var trainer = Trainer(Blocking(atStep: 1, reached, release), maxSteps: 50);
        var probe = CreateTestProbe();
        probe.Send(trainer, Start(1));
        Assert.True(await reached.WaitAsync(Timeout), "the trial never reached step 1");
        return (trainer, probe);
    }

    private static StartTrial Start(int trial) =>
        new(FmnistFixture.Trial(trial), [new("learning_rate", 0.05), new("momentum", 0.9)], 42, 1e9);

    private static MomentumSubmission Blocking(long atStep, SemaphoreSlim reached, SemaphoreSlim release) => new()
    {
        BeforeUpdate = step =>
        {
            if (step == atStep)
            {
                reached.Release();
                if (!release.Wait(Timeout))
                {
                    throw new TimeoutException("the test never released the barrier");
                }
            }
        },
    };

    private IActorRef Trainer(ISubmission submission, long maxSteps) =>
        Trainer(new Dictionary<string, ISubmission> { ["momentum_test"] = submission }, maxSteps);

    private IActorRef Trainer(Dictionary<string, ISubmission> submissions, long maxSteps)
    {
        var settings = new TrainerSettings
        {
            Runner = FmnistFixture.Options(_root),
            Rules = RulesVersions.V06,
            Workloads = name => name == "fmnist_mlp" ? FmnistFixture.Workload : throw new ArgumentException($"unknown workload {name}"),
            Submissions = name => submissions[name],
            MaxGlobalSteps = maxSteps,
            EvalPeriodSec = 0,
        };
        return Sys.ActorOf(TrainerActor.Props(settings), "trainer");
    }
}
