using Akka.Actor;
using Akka.TestKit;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Seed.Orchestration;
using AlgoPerf.Tuner.Actors;
using AlgoPerf.Tuner.Plans;
using AlgoPerf.Tuner.SearchSpaces;

namespace AlgoPerf.Seed.Tests.Orchestration;

public sealed class SchedulerActorTests : Akka.TestKit.Xunit2.TestKit
{

    [Fact]
    public async Task Queue_SeveralTrials_DispatchesLongestBudgetFirstAndFreesTrainerOnFinalOutcome()
    {
        var (trainer, tuner) = (CreateTestProbe("trainer"), CreateTestProbe("tuner"));
        var scheduler = Scheduler(trainer);

        tuner.Send(scheduler, new RunTrial(Trial(1, 10)));
        Assert.Equal(Id(1), (await trainer.ExpectMsgAsync<Run>()).Trial.Trial);
        tuner.Send(scheduler, new RunTrial(Trial(2, 5)));
        tuner.Send(scheduler, new RunTrial(Trial(3, 20)));
        Assert.Equal(new SchedulerStatus(2, 1, 0), await scheduler.Ask<SchedulerStatus>(new GetSchedulerStatus(), TimeSpan.FromSeconds(5)));

        trainer.Send(scheduler, new TrialFinished(Id(1), TrialEndReason.BudgetExhausted, 100, 10));
        Assert.Equal(Id(1), (await tuner.ExpectMsgAsync<TrialFinished>()).Trial);
        Assert.Equal(Id(3), (await trainer.ExpectMsgAsync<Run>()).Trial.Trial);
        trainer.Send(scheduler, new TrialFailed(Id(3), "boom", "at X"));
        Assert.Equal("boom", (await tuner.ExpectMsgAsync<TrialFailed>()).Error);
        Assert.Equal(Id(2), (await trainer.ExpectMsgAsync<Run>()).Trial.Trial);
    }

    [Fact]
    public async Task Outcomes_EvalsOfARunningTrial_AreForwardedToItsTunerAndKeepTheTrainerBusy()
    {
        var (trainer, tunerA, tunerB) = (CreateTestProbe("trainer"), CreateTestProbe("a"), CreateTestProbe("b"));
        var scheduler = Scheduler(trainer);
        tunerA.Send(scheduler, new RunTrial(Trial(1, 10)));
        await trainer.ExpectMsgAsync<Run>();
        tunerB.Send(scheduler, new RunTrial(Trial(2, 10)));

        var eval = new EvalRecorded(Id(1), 0, 1, 0.5, 0.1, new Dictionary<string, double> { ["validation/accuracy"] = 0.5 });
        trainer.Send(scheduler, eval);

        Assert.Same(eval, await tunerA.ExpectMsgAsync<EvalRecorded>());
        await trainer.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        await tunerB.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task RunTrial_RepeatedAfterTunerRecovery_IsNotRunTwice()
    {
        var (trainer, tuner) = (CreateTestProbe("trainer"), CreateTestProbe("tuner"));
        var scheduler = Scheduler(trainer);
        tuner.Send(scheduler, new RunTrial(Trial(1, 10)));
        await trainer.ExpectMsgAsync<Run>();

        tuner.Send(scheduler, new RunTrial(Trial(1, 10)));
        tuner.Send(scheduler, new RunTrial(Trial(2, 10)));
        tuner.Send(scheduler, new RunTrial(Trial(2, 10)));

        Assert.Equal(new SchedulerStatus(1, 1, 0), await scheduler.Ask<SchedulerStatus>(new GetSchedulerStatus(), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task RunTrial_RepeatedByARestartedTuner_SendsLaterOutcomesToTheNewIncarnation()
    {
        var (trainer, before, after) = (CreateTestProbe("trainer"), CreateTestProbe("before"), CreateTestProbe("after"));
        var scheduler = Scheduler(trainer);
        before.Send(scheduler, new RunTrial(Trial(1, 10)));
        before.Send(scheduler, new RunTrial(Trial(2, 5)));
        await trainer.ExpectMsgAsync<Run>(r => r.Trial.Trial == Id(1));

        after.Send(scheduler, new RunTrial(Trial(1, 10)));
        after.Send(scheduler, new RunTrial(Trial(2, 5)));
        trainer.Send(scheduler, new TrialFinished(Id(1), TrialEndReason.BudgetExhausted, 100, 10));
        await trainer.ExpectMsgAsync<Run>(r => r.Trial.Trial == Id(2));
        trainer.Send(scheduler, new TrialFinished(Id(2), TrialEndReason.BudgetExhausted, 50, 5));

        Assert.Equal(Id(1), (await after.ExpectMsgAsync<TrialFinished>()).Trial);
        Assert.Equal(Id(2), (await after.ExpectMsgAsync<TrialFinished>()).Trial);
        await before.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task TrialCancelled_PausedByItsTrainer_GoesBackToTheFrontOfTheQueue()
    {
        var (trainer, tuner) = (CreateTestProbe("trainer"), CreateTestProbe("tuner"));
        var scheduler = Scheduler(trainer);
        tuner.Send(scheduler, new RunTrial(Trial(1, 10)));
        Assert.Equal(Id(1), (await trainer.ExpectMsgAsync<Run>()).Trial.Trial);
        tuner.Send(scheduler, new RunTrial(Trial(2, 10)));

        // Paused (e.g. the trainer drained for shutdown) with a checkpoint: not over, so with the same budget it runs
        // again before trial 2, which was queued after it.
        trainer.Send(scheduler, new Trainer.Actors.TrialCancelled(Id(1), 40, "ckpt"));

        Assert.Equal(Id(1), (await trainer.ExpectMsgAsync<Run>()).Trial.Trial);
        Assert.Equal(new SchedulerStatus(1, 1, 0), await scheduler.Ask<SchedulerStatus>(new GetSchedulerStatus(), TimeSpan.FromSeconds(5)));
        await tuner.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task TrialRejected_ByABusyTrainer_IsQueuedAgainAndRunsWhenATrainerIsFree()
    {
        var (busy, free, tuner) = (CreateTestProbe("busy"), CreateTestProbe("free"), CreateTestProbe("tuner"));
        var scheduler = Sys.ActorOf(SchedulerActor.Props([busy.Ref], t => new Run(t), id => new Cancel(id)));
        tuner.Send(scheduler, new RunTrial(Trial(1, 10)));
        await busy.ExpectMsgAsync<Run>();

        busy.Send(scheduler, new Trainer.Actors.TrialRejected(Id(1), "trainer cpu is shutting down"));

        // Back in the queue and given to the (only) trainer again, which is free once it rejected.
        Assert.Equal(Id(1), (await busy.ExpectMsgAsync<Run>()).Trial.Trial);
        await free.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task TrialCancelled_AfterItsStudyStoppedIt_IsNotQueuedAgain()
    {
        var (trainer, tuner) = (CreateTestProbe("trainer"), CreateTestProbe("tuner"));
        var scheduler = Scheduler(trainer);
        tuner.Send(scheduler, new RunTrial(Trial(1, 10)));
        await trainer.ExpectMsgAsync<Run>();
        tuner.Send(scheduler, new StopTrial(Id(1)));
        await trainer.ExpectMsgAsync<Cancel>();

        trainer.Send(scheduler, new Trainer.Actors.TrialCancelled(Id(1), 5, null));

        Assert.Equal(new SchedulerStatus(0, 0, 1), await scheduler.Ask<SchedulerStatus>(new GetSchedulerStatus(), TimeSpan.FromSeconds(5)));
        await trainer.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task StopTrial_Queued_ReportsStoppedEarlyWithoutRunningIt()
    {
        var (trainer, tuner) = (CreateTestProbe("trainer"), CreateTestProbe("tuner"));
        var scheduler = Scheduler(trainer);
        tuner.Send(scheduler, new RunTrial(Trial(1, 10)));
        await trainer.ExpectMsgAsync<Run>();
        tuner.Send(scheduler, new RunTrial(Trial(2, 10)));

        tuner.Send(scheduler, new StopTrial(Id(2)));

        Assert.Equal(new TrialFinished(Id(2), TrialEndReason.StoppedEarly, 0, 0), await tuner.ExpectMsgAsync<TrialFinished>());
        trainer.Send(scheduler, new TrialFinished(Id(1), TrialEndReason.BudgetExhausted, 100, 10));
        await tuner.ExpectMsgAsync<TrialFinished>(f => f.Trial == Id(1));
        await trainer.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task StopTrial_NeverRequestedInThisProcess_EndsItAsStoppedEarlyAtOnce()
    {
        var (trainer, tuner) = (CreateTestProbe("trainer"), CreateTestProbe("tuner"));
        var scheduler = Scheduler(trainer);

        tuner.Send(scheduler, new StopTrial(Id(4)));

        Assert.Equal(new TrialFinished(Id(4), TrialEndReason.StoppedEarly, 0, 0), await tuner.ExpectMsgAsync<TrialFinished>());
        await trainer.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task StopTrial_Running_CancelsThroughTheTrainerAndReportsStoppedEarly()
    {
        var (trainer, tuner) = (CreateTestProbe("trainer"), CreateTestProbe("tuner"));
        var scheduler = Scheduler(trainer);
        tuner.Send(scheduler, new RunTrial(Trial(1, 10)));
        await trainer.ExpectMsgAsync<Run>();

        tuner.Send(scheduler, new StopTrial(Id(1)));
        Assert.Equal(Id(1), (await trainer.ExpectMsgAsync<Cancel>()).Trial);
        trainer.Send(scheduler, new TrialFinished(Id(1), TrialEndReason.BudgetExhausted, 42, 3.5));

        Assert.Equal(new TrialFinished(Id(1), TrialEndReason.StoppedEarly, 42, 3.5), await tuner.ExpectMsgAsync<TrialFinished>());
    }

    [Fact]
    public async Task TrainerStops_WhileRunningATrial_ReportsTheTrialFailedAndUsesTheOtherTrainers()
    {
        var (dying, healthy, tuner) = (CreateTestProbe("dying"), CreateTestProbe("healthy"), CreateTestProbe("tuner"));
        // A real actor (probes cannot die): it forwards what it gets to the 'dying' probe until it is stopped.
        var dyingTrainer = Sys.ActorOf(Props.Create(() => new Forwarder(dying.Ref)));
        var scheduler = Sys.ActorOf(SchedulerActor.Props([dyingTrainer, healthy.Ref], t => new Run(t), id => new Cancel(id)));
        tuner.Send(scheduler, new RunTrial(Trial(1, 10)));
        tuner.Send(scheduler, new RunTrial(Trial(2, 10)));
        var runs = await Task.WhenAll(dying.ExpectMsgAsync<Run>().AsTask(), healthy.ExpectMsgAsync<Run>().AsTask());

        Sys.Stop(dyingTrainer);

        var failed = await tuner.ExpectMsgAsync<TrialFailed>();
        Assert.Equal(runs[0].Trial.Trial, failed.Trial);
        Assert.Contains("stopped while running the trial", failed.Error, StringComparison.Ordinal);
        Assert.Equal(new SchedulerStatus(0, 1, 0), await scheduler.Ask<SchedulerStatus>(new GetSchedulerStatus(), TimeSpan.FromSeconds(5)));
    }

    private IActorRef Scheduler(TestProbe trainer) =>
        Sys.ActorOf(SchedulerActor.Props([trainer.Ref], t => new Run(t), id => new Cancel(id)));

    private static TrialId Id(int trial) => new("nadamw", "fmnist_mlp", 1, trial);

    private static PlannedTrial Trial(int trial, double budget) => new(Id(trial), HyperparameterPoint.Empty, (ulong)trial, budget);

    private sealed record Run(PlannedTrial Trial);

    private sealed class Forwarder(IActorRef target) : UntypedActor
    {
        protected override void OnReceive(object message) => target.Tell(message, Sender);
    }

    private sealed record Cancel(TrialId Trial);
}
