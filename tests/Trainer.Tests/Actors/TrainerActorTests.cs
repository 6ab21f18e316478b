using AlgoPerf.Actors;
using AlgoPerf.Actors.TestKit;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Trainer.Actors;
using AlgoPerf.Trainer.Submissions;
using AlgoPerf.Trainer.Tests.Running;

namespace AlgoPerf.Trainer.Tests.Actors;

[Collection("Torch")]
public sealed class TrainerActorTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly string _root = Directory.CreateTempSubdirectory("trainer-actor-").FullName;
    private readonly ActorSystem _system = ActorSystem.Create(nameof(TrainerActorTests));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _system.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task StartTrial_TinyTrial_ReportsStartedEvalsCheckpointsAndFinished()
    {
        var trainer = Trainer(new MomentumSubmission(), maxSteps: 2);
        var probe = new TestProbe(_system);
        probe.Send(trainer, Start(1));

        var started = await probe.ExpectMsgAsync<TrialStarted>(timeout: Timeout);
        Assert.Equal(new TrialStarted(FmnistFixture.Trial(1), 0, 0), started);
        for (var i = 0; i < 2; i++)
        {
            var eval = await probe.ExpectMsgAsync<EvalRecorded>(timeout: Timeout);
            Assert.Equal((i, (long)i + 1), (eval.EvalIndex, eval.GlobalStep));
            Assert.InRange(eval.Metrics["validation/accuracy"], 0, 1);
            var checkpoint = await probe.ExpectMsgAsync<CheckpointSaved>(timeout: Timeout);
            Assert.Equal(Path.Combine("momentum_test", "study_0", "fmnist_mlp_pytorch", "trial_1", $"checkpoint_{i + 1}.ckpt"), checkpoint.Path);
            Assert.Equal(64, checkpoint.Sha256.Length);
        }

        var finished = await probe.ExpectMsgAsync<TrialFinished>(timeout: Timeout);
        Assert.Equal((TrialEndReason.MaxSteps, 2L), (finished.Reason, finished.GlobalSteps));
        probe.Send(trainer, GetTrainerStatus.Instance);
        Assert.Equal(new TrainerStatus("cpu", TrainerPhase.Idle, null, 0, 0, 0, 1), await probe.ExpectMsgAsync<TrainerStatus>(timeout: Timeout));
    }

    [Fact]
    public async Task GetTrainerStatus_WhileTraining_AnsweredWithTheRunningStep()
    {
        using var reached = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        var trainer = Trainer(Blocking(atStep: 2, reached, release), maxSteps: 3);
        var probe = new TestProbe(_system);
        probe.Send(trainer, Start(1));
        Assert.True(await reached.WaitAsync(Timeout), "the trial never reached step 2");

        var status = new TestProbe(_system, "status");
        status.Send(trainer, GetTrainerStatus.Instance);
        var s = await status.ExpectMsgAsync<TrainerStatus>(timeout: Timeout);
        release.Release();

        Assert.Equal(new TrainerStatus("cpu", TrainerPhase.Training, FmnistFixture.Trial(1), 2, 2, s.SubmissionTimeSec, 0), s);
        Assert.True(s.SubmissionTimeSec > 0);
        var finished = await probe.FishForMessageAsync<TrialFinished>(_ => true, Timeout);
        Assert.Equal(3, finished.GlobalSteps);
    }

    [Fact]
    public async Task CancelTrial_MidTrial_EndsAsCancelledWithResumableCheckpoint()
    {
        using var reached = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        var trainer = Trainer(Blocking(atStep: 1, reached, release), maxSteps: 50);
        var probe = new TestProbe(_system);
        probe.Send(trainer, Start(1));
        Assert.True(await reached.WaitAsync(Timeout), "the trial never reached step 1");

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
        var probe = new TestProbe(_system);
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
        return _system.ActorOf(TrainerActor.Props(settings), "trainer");
    }
}
