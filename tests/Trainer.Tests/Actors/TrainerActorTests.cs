using Akka.Actor;
using AlgoPerf.Contracts.Delivery;
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
        trainer.Tell(Start(1), Requester(probe));

        var started = await probe.ExpectMsgAsync<TrialStarted>(Timeout);
        Assert.Equal(new TrialStarted(FmnistFixture.Trial(1), 0, 0, 1), started);
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
        trainer.Tell(Start(1), Requester(probe));
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
        trainer.Tell(Start(1), Requester(probe));

        var failed = await probe.FishForMessageAsync<TrialFailed>(_ => true, Timeout);
        Assert.Equal(FmnistFixture.Trial(1), failed.Trial);
        Assert.StartsWith("update_params failed at step 1: System.InvalidOperationException: test submission fails at step 1", failed.Error, StringComparison.Ordinal);
        Assert.Contains("MomentumSubmission.Fail", failed.StackTrace, StringComparison.Ordinal);

        trainer.Tell(new StartTrial(FmnistFixture.Trial(1) with { Submission = "momentum_ok" }, null, 7, 1e9), Requester(probe));
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
        trainer.Tell(Start(2), Requester(probe));
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
        trainer.Tell(Start(1), Requester(probe));
        Assert.True(await reached.WaitAsync(Timeout), "the trial never reached step 1");
        return (trainer, probe);
    }

    [Theory]
    [InlineData(GangReducers.InProcess)]
    [InlineData(GangReducers.Gloo)] // the rendezvous address travels from rank 0's trainer to rank 1's as a message
    public async Task StartTrial_AsTwoRanksOfAGang_RankZeroReportsProgressAndEveryRankItsEnd(string reducer)
    {
        var submission = new MomentumSubmission { DropoutRate = 0 };
        var trainers = new[] { Trainer(submission, maxSteps: 2, "rank-0"), Trainer(submission, maxSteps: 2, "rank-1") };
        var probe = CreateTestProbe();

        // Rank 1 first: with Gloo it waits for rank 0's address, which comes once rank 0 has started.
        for (var rank = 1; rank >= 0; rank--)
        {
            trainers[rank].Tell(Start(1) with { Gang = new GangAssignment($"gang-{reducer}#1", rank, trainers, reducer, Timeout) }, Requester(probe));
        }

        // Rank 0's events only, in order; each rank's end comes from its own trainer.
        Assert.Equal(new TrialStarted(FmnistFixture.Trial(1), 0, 0, 1), await probe.ExpectMsgAsync<TrialStarted>(Timeout));
        var ends = new Dictionary<IActorRef, TrialFinished>();
        var evals = 0;
        while (ends.Count < 2)
        {
            var message = await probe.ReceiveOneAsync(Timeout);
            switch (message)
            {
                case EvalRecorded or CheckpointSaved:
                    Assert.Equal(trainers[0], probe.LastSender);
                    evals += message is EvalRecorded ? 1 : 0;
                    break;
                case TrialFinished finished:
                    ends.Add(probe.LastSender, finished);
                    break;
                default:
                    Assert.Fail($"unexpected {message}");
                    break;
            }
        }

        Assert.Equal(2, evals);
        Assert.All(ends.Values, f => Assert.Equal((TrialEndReason.MaxSteps, 2L), (f.Reason, f.GlobalSteps)));
        Assert.Equal(ends[trainers[0]], ends[trainers[1]]);
        Assert.Equal(0, AlgoPerf.Trainer.Distributed.InProcessGangs.Count);
    }

    [Fact]
    public async Task StartTrial_NcclGangOnAHostWithoutNccl_FailsTheTrialSayingWhereNcclRuns()
    {
        var trainers = new[] { Trainer(new MomentumSubmission(), maxSteps: 2, "gpu-less", device: "cuda:0"), ActorRefs.Nobody };
        var probe = CreateTestProbe();
        trainers[0].Tell(Start(1) with { Gang = new GangAssignment("gang-n#1", 0, trainers, GangReducers.Nccl, Timeout) }, Requester(probe));

        var failed = await probe.ExpectMsgAsync<TrialFailed>(Timeout);
        Assert.StartsWith("System.PlatformNotSupportedException: NCCL is only available on CUDA hosts with the CUDA TorchSharp package", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartTrial_RankWhoseGangNeverForms_ReportsGangFailedWithinTheTimeout()
    {
        var trainers = new[] { Trainer(new MomentumSubmission(), maxSteps: 2, "lonely"), ActorRefs.Nobody };
        var probe = CreateTestProbe();
        trainers[0].Tell(Start(1) with { Gang = new GangAssignment("gang-b#1", 0, trainers, GangReducers.InProcess, TimeSpan.FromSeconds(1)) }, Requester(probe));

        var failed = await probe.ExpectMsgAsync<GangFailed>(Timeout);
        Assert.Equal((FmnistFixture.Trial(1), "gang-b#1"), (failed.Trial, failed.GangId));
        Assert.StartsWith("rank 0 waited 1 s at ", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AttachTrainer_WhileATrialRunsWithUnacknowledgedReports_AnswersTheAttemptAndTheReportsAndResendsThemToTheNewRequester()
    {
        using var reached = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        var trainer = Trainer(Blocking(atStep: 1, reached, release), maxSteps: 2, redeliverEvery: TimeSpan.FromMilliseconds(200));
        var old = CreateTestProbe("old-coordinator");
        old.Send(trainer, Start(1) with { Attempt = 3 });
        var started = await old.ExpectMsgAsync<TrialReport>(Timeout);
        Assert.Equal((FmnistFixture.Trial(1), 3, new TrialStarted(FmnistFixture.Trial(1), 0, 0, 3)), (started.Trial, started.Attempt, started.Body));
        Assert.True(await reached.WaitAsync(Timeout), "the trial never reached step 1");

        // A new coordinator takes the trainer over: it learns the attempt and gets the report nobody acknowledged.
        var fresh = CreateTestProbe("new-coordinator");
        fresh.Send(trainer, new AttachTrainer(fresh.Ref));
        var attached = await fresh.ExpectMsgAsync<TrainerAttached>(Timeout);
        Assert.Equal((trainer, "cpu", new RunningAttempt(FmnistFixture.Trial(1), 3, null)), (attached.Trainer, attached.Device, attached.Running));
        Assert.Equal(started, attached.Unacknowledged[0]);
        Assert.Equal(Enumerable.Range(1, attached.Unacknowledged.Count).Select(i => (long)i), attached.Unacknowledged.Select(r => r.Seq));

        // Unacknowledged, it comes again (to the new requester), until acknowledged; the end goes to the new requester.
        Assert.Equal(started, await fresh.FishForMessageAsync<TrialReport>(r => r.Seq == started.Seq, Timeout));
        fresh.Send(trainer, new ResultAck(started.Trial, started.Attempt, started.Seq));
        release.Release();
        var end = await fresh.FishForMessageAsync<TrialReport>(r => r.Body is TrialFinished, Timeout);
        Assert.Equal(3, end.Attempt);
    }

    [Fact]
    public async Task StartTrial_RequesterAcknowledgesNothing_EveryEarlierReportIsSentAgainJustBeforeTheEnd()
    {
        var trainer = Trainer(new MomentumSubmission(), maxSteps: 2, redeliverEvery: TimeSpan.FromMinutes(10));
        var probe = CreateTestProbe();
        probe.Send(trainer, Start(1));

        var first = new List<TrialReport>();
        TrialReport next;
        while ((next = await probe.ExpectMsgAsync<TrialReport>(Timeout)).Seq > first.Count)
        {
            first.Add(next);
        }

        // Reports 1..n, then the same again in order (a tuner that missed them gets them before the end), then the end.
        var again = new List<TrialReport> { next };
        while (again.Count < first.Count)
        {
            again.Add(await probe.ExpectMsgAsync<TrialReport>(Timeout));
        }

        var end = await probe.ExpectMsgAsync<TrialReport>(Timeout);
        Assert.Equal(first, again);
        Assert.Equal((first.Count + 1L, typeof(TrialFinished)), (end.Seq, end.Body.GetType()));
        Assert.IsType<TrialStarted>(first[0].Body);
    }

    [Fact]
    public async Task PauseForCutOff_MidTrial_PausesWithACheckpoint()
    {
        using var release = new SemaphoreSlim(0);
        var (trainer, probe) = await StartHeldAtStepOneAsync(release);

        trainer.Tell(PauseForCutOff.Instance);
        release.Release();

        var cancelled = await probe.FishForMessageAsync<TrialCancelled>(_ => true, Timeout);
        Assert.True(File.Exists(Path.Combine(_root, cancelled.CheckpointPath!)));
    }

    // The requester of a test: acknowledges each report to the trainer and passes its body on to the probe, as sent by the trainer.
    private IActorRef Requester(Akka.TestKit.TestProbe probe) => Sys.ActorOf(Props.Create(() => new Acking(probe.Ref)));

    private sealed class Acking(IActorRef probe) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is TrialReport report)
            {
                Sender.Tell(new ResultAck(report.Trial, report.Attempt, report.Seq), Self);
                probe.Tell(report.Body, Sender);
                return;
            }

            probe.Tell(message, Sender);
        }
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

    private IActorRef Trainer(ISubmission submission, long maxSteps, string name = "trainer", string device = "cpu", TimeSpan? redeliverEvery = null) =>
        Trainer(new Dictionary<string, ISubmission> { ["momentum_test"] = submission }, maxSteps, name, device, redeliverEvery);

    private IActorRef Trainer(Dictionary<string, ISubmission> submissions, long maxSteps, string name = "trainer", string device = "cpu", TimeSpan? redeliverEvery = null)
    {
        var settings = new TrainerSettings
        {
            Device = device,
            Runner = FmnistFixture.Options(_root),
            Rules = RulesVersions.V06,
            Workloads = name => name == "fmnist_mlp" ? FmnistFixture.Workload : throw new ArgumentException($"unknown workload {name}"),
            Submissions = name => submissions[name],
            MaxGlobalSteps = maxSteps,
            EvalPeriodSec = 0,
            RedeliverEvery = redeliverEvery ?? TimeSpan.FromSeconds(5),
        };
        return Sys.ActorOf(TrainerActor.Props(settings), name);
    }
}
