using Akka.Actor;
using Akka.TestKit;
using AlgoPerf.Contracts.Delivery;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Seed.Orchestration;
using AlgoPerf.Trainer.Actors;
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

        trainer.Send(scheduler, Report(new TrialFinished(Id(1), TrialEndReason.BudgetExhausted, 100, 10)));
        Assert.Equal(Id(1), (await OutcomeAsync<TrialFinished>(tuner)).Trial);
        Assert.Equal(Id(3), (await trainer.ExpectMsgAsync<Run>()).Trial.Trial);
        trainer.Send(scheduler, Report(new TrialFailed(Id(3), "boom", "at X")));
        Assert.Equal("boom", (await OutcomeAsync<TrialFailed>(tuner)).Error);
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
        trainer.Send(scheduler, Report(eval));

        Assert.Same(eval, await OutcomeAsync<EvalRecorded>(tunerA));
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
        trainer.Send(scheduler, Report(new TrialFinished(Id(1), TrialEndReason.BudgetExhausted, 100, 10)));
        await trainer.ExpectMsgAsync<Run>(r => r.Trial.Trial == Id(2));
        trainer.Send(scheduler, Report(new TrialFinished(Id(2), TrialEndReason.BudgetExhausted, 50, 5)));

        Assert.Equal(Id(1), (await OutcomeAsync<TrialFinished>(after)).Trial);
        Assert.Equal(Id(2), (await OutcomeAsync<TrialFinished>(after)).Trial);
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
        trainer.Send(scheduler, Report(new Trainer.Actors.TrialCancelled(Id(1), 40, "ckpt")));

        Assert.Equal(Id(1), (await trainer.ExpectMsgAsync<Run>()).Trial.Trial);
        Assert.Equal(new SchedulerStatus(1, 1, 0), await scheduler.Ask<SchedulerStatus>(new GetSchedulerStatus(), TimeSpan.FromSeconds(5)));
        await tuner.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task TrialRejected_ByATrainerBusyWithAnUnknownTrial_IsQueuedAgainAndGivenToItOnlyOnceItReportsThatTrialsEnd()
    {
        var (busy, tuner) = (CreateTestProbe("busy"), CreateTestProbe("tuner"));
        var scheduler = Sys.ActorOf(SchedulerActor.Props([IgnoringAcks(busy)], (t, _, a) => new Run(t, null, a), id => new Cancel(id)));
        tuner.Send(scheduler, new RunTrial(Trial(1, 10)));
        await busy.ExpectMsgAsync<Run>();

        busy.Send(scheduler, new Trainer.Actors.TrialRejected(Id(1), "trainer cpu is running trial 9"));

        // Back in the queue; the trainer is not offered it again (no bouncing) until it ends what it runs.
        await busy.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        Assert.Equal(new SchedulerStatus(1, 0, 0), await scheduler.Ask<SchedulerStatus>(new GetSchedulerStatus(), TimeSpan.FromSeconds(5)));
        busy.Send(scheduler, Report(new TrialFinished(Id(9), TrialEndReason.BudgetExhausted, 5, 5), attempt: 3));
        var again = await busy.ExpectMsgAsync<Run>();
        Assert.Equal((Id(1), 2), (again.Trial.Trial, again.Attempt));
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

        trainer.Send(scheduler, Report(new Trainer.Actors.TrialCancelled(Id(1), 5, null)));

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

        Assert.Equal(new TrialFinished(Id(2), TrialEndReason.StoppedEarly, 0, 0), await OutcomeAsync<TrialFinished>(tuner));
        trainer.Send(scheduler, Report(new TrialFinished(Id(1), TrialEndReason.BudgetExhausted, 100, 10)));
        await OutcomeAsync<TrialFinished>(tuner, f => f.Trial == Id(1));
        await trainer.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task StopTrial_NeverRequestedInThisProcess_EndsItAsStoppedEarlyAtOnce()
    {
        var (trainer, tuner) = (CreateTestProbe("trainer"), CreateTestProbe("tuner"));
        var scheduler = Scheduler(trainer);

        tuner.Send(scheduler, new StopTrial(Id(4)));

        Assert.Equal(new TrialFinished(Id(4), TrialEndReason.StoppedEarly, 0, 0), await OutcomeAsync<TrialFinished>(tuner));
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
        trainer.Send(scheduler, Report(new TrialFinished(Id(1), TrialEndReason.BudgetExhausted, 42, 3.5)));

        Assert.Equal(new TrialFinished(Id(1), TrialEndReason.StoppedEarly, 42, 3.5), await OutcomeAsync<TrialFinished>(tuner));
    }

    [Fact]
    public async Task TrainerStops_WhileRunningATrial_QueuesTheTrialAgainAsItsNextAttemptOnAnotherTrainer()
    {
        var (dying, healthy, tuner) = (CreateTestProbe("dying"), CreateTestProbe("healthy"), CreateTestProbe("tuner"));
        // A real actor (probes cannot die): it forwards what it gets to the 'dying' probe until it is stopped.
        var dyingTrainer = Sys.ActorOf(Props.Create(() => new Forwarder(dying.Ref)));
        var scheduler = Sys.ActorOf(SchedulerActor.Props([dyingTrainer, healthy.Ref], (t, _, a) => new Run(t, null, a), id => new Cancel(id)));
        tuner.Send(scheduler, new RunTrial(Trial(1, 10)));
        tuner.Send(scheduler, new RunTrial(Trial(2, 10)));
        var runs = await Task.WhenAll(dying.ExpectMsgAsync<Run>().AsTask(), healthy.ExpectMsgAsync<Run>().AsTask());

        Sys.Stop(dyingTrainer);

        // Its host is gone: the trial waits for a trainer (it resumes from its checkpoint), nothing reaches the tuner.
        await AwaitAssertAsync(async () => Assert.Equal(new SchedulerStatus(1, 1, 0), await scheduler.Ask<SchedulerStatus>(new GetSchedulerStatus(), TimeSpan.FromSeconds(5))));
        await tuner.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        healthy.Send(scheduler, Report(new TrialFinished(runs[1].Trial.Trial, TrialEndReason.BudgetExhausted, 10, 10)));
        var again = await healthy.ExpectMsgAsync<Run>();
        Assert.Equal((runs[0].Trial.Trial, 2), (again.Trial.Trial, again.Attempt));
    }

    [Fact]
    public async Task Reports_CheckpointAndAnotherAttemptsEnd_AreAcknowledgedByTheSchedulerAndTheEndGoesToTheTuner()
    {
        var (trainer, tuner) = (CreateTestProbe("trainer"), CreateTestProbe("tuner"));
        var scheduler = Sys.ActorOf(SchedulerActor.Props([trainer.Ref], (t, _, a) => new Run(t, null, a), id => new Cancel(id)));
        tuner.Send(scheduler, new RunTrial(Trial(1, 10), LastAttempt: 4));
        Assert.Equal(5, (await trainer.ExpectMsgAsync<Run>()).Attempt);

        var checkpoint = Report(new CheckpointSaved(Id(1), 10, "ckpt", "sha"), attempt: 5);
        trainer.Send(scheduler, checkpoint);
        Assert.Equal(new ResultAck(Id(1), 5, checkpoint.Seq), await trainer.ExpectMsgAsync<ResultAck>());

        // A late eval of attempt 4 (its trainer re-sent it): the tuner decides (it fences by the attempt), the trial runs on.
        var late = Report(new EvalRecorded(Id(1), 3, 30, 3, 0.1, new Dictionary<string, double>()), attempt: 4);
        trainer.Send(scheduler, late);
        var outcome = await tuner.ExpectMsgAsync<AttemptOutcome>();
        Assert.Equal((4, late.Seq, trainer.Ref), (outcome.Attempt, outcome.Seq, outcome.AckTo));
        Assert.Equal(new SchedulerStatus(0, 1, 0), await scheduler.Ask<SchedulerStatus>(new GetSchedulerStatus(), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task RunTrial_AgainAfterItsTrialEndedHere_WaitsForTheTrainersResultsAndRunsItOnlyIfThatTrainerDies()
    {
        var (healthy, tuner, restarted) = (CreateTestProbe("healthy"), CreateTestProbe("tuner"), CreateTestProbe("restarted"));
        var ending = CreateTestProbe("ending");
        var endingTrainer = Sys.ActorOf(Props.Create(() => new Forwarder(ending.Ref)));
        var scheduler = Sys.ActorOf(SchedulerActor.Props([endingTrainer], (t, _, a) => new Run(t, null, a), id => new Cancel(id)));
        tuner.Send(scheduler, new RunTrial(Trial(1, 10)));
        await ending.ExpectMsgAsync<Run>();
        scheduler.Tell(new TrainerAttached(IgnoringAcks(healthy), "cpu:1", null, []));
        var end = Report(new TrialFinished(Id(1), TrialEndReason.BudgetExhausted, 100, 10));
        scheduler.Tell(end, endingTrainer);
        await tuner.ExpectMsgAsync<AttemptOutcome>();

        // The tuner restarted before it persisted the end (a journal outage) and asks again: nothing runs; the
        // trainer's redelivered results reach the new tuner.
        restarted.Send(scheduler, new RunTrial(Trial(1, 10), LastAttempt: 1));
        await healthy.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        scheduler.Tell(end, endingTrainer);
        Assert.Equal((end.Seq, end.Attempt), await restarted.ExpectMsgAsync<AttemptOutcome>() is var again ? (again.Seq, again.Attempt) : default);

        // Asked again once more, and the trainer that holds the results dies: then the trial runs.
        restarted.Send(scheduler, new RunTrial(Trial(1, 10), LastAttempt: 1));
        await healthy.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        Sys.Stop(endingTrainer);
        Assert.Equal((Id(1), 2), await healthy.ExpectMsgAsync<Run>() is var run ? (run.Trial.Trial, run.Attempt) : default);
    }

    [Fact]
    public async Task Reconcile_TrainerAttachedWithARunningAttempt_IsAdoptedNotStartedAgainAndItsUnacknowledgedEndReachesTheTunerThatAsksLater()
    {
        var (busy, idle, tuner) = (CreateTestProbe("busy"), CreateTestProbe("idle"), CreateTestProbe("tuner"));
        var scheduler = Sys.ActorOf(SchedulerActor.Props([], (t, _, a) => new Run(t, null, a), id => new Cancel(id), reconcile: true));
        var finishedWhileAway = Report(new TrialFinished(Id(2), TrialEndReason.TargetsReached, 20, 2), attempt: 1);

        // A new coordinator: one trainer still runs attempt 3 of trial 1, the other ended trial 2 while no coordinator
        // acknowledged it.
        scheduler.Tell(new TrainerAttached(busy.Ref, "cuda:0", new RunningAttempt(Id(1), 3, null), []));
        scheduler.Tell(new TrainerAttached(idle.Ref, "cuda:1", null, [finishedWhileAway]));
        tuner.Send(scheduler, new RunTrial(Trial(1, 10), LastAttempt: 2));
        tuner.Send(scheduler, new RunTrial(Trial(2, 10), LastAttempt: 1));
        await idle.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        scheduler.Tell(ReconcileDone.Instance);

        var delivered = await tuner.ExpectMsgAsync<AttemptOutcome>();
        Assert.Equal((finishedWhileAway.Body, idle.Ref), (delivered.Outcome, delivered.AckTo));
        await busy.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        await idle.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        Assert.Equal(new SchedulerStatus(0, 1, 1), await scheduler.Ask<SchedulerStatus>(new GetSchedulerStatus(), TimeSpan.FromSeconds(5)));

        // The adopted attempt's outcome goes to the tuner that asked for the trial.
        busy.Send(scheduler, Report(new TrialFinished(Id(1), TrialEndReason.BudgetExhausted, 90, 10), attempt: 3));
        Assert.Equal(3, (await tuner.ExpectMsgAsync<AttemptOutcome>()).Attempt);
    }

    [Fact]
    public async Task Dispatch_TrialOfTwoDevices_GivesEachTrainerOfOneGangItsRankInTheSameAssignment()
    {
        var (a, b, c, tuner) = (CreateTestProbe("a"), CreateTestProbe("b"), CreateTestProbe("c"), CreateTestProbe("tuner"));
        var scheduler = GangScheduler([c, a, b], maxRestarts: 1);

        tuner.Send(scheduler, new RunTrial(Trial(1, 10)));

        // Rank 0 is the first trainer by name; the third trainer waits, since no second trial fits beside it.
        var rank0 = (await a.ExpectMsgAsync<Run>()).Gang!;
        var rank1 = (await b.ExpectMsgAsync<Run>()).Gang!;
        Assert.Equal((0, 1), (rank0.Rank, rank1.Rank));
        Assert.Equal($"{Id(1)}#1", rank0.GangId);
        Assert.Equal(rank0.GangId, rank1.GangId);
        Assert.Equal([a.Ref, b.Ref], rank0.Members);
        Assert.Equal(rank0.Members, rank1.Members);
        Assert.Equal(Trainer.Actors.GangReducers.InProcess, rank0.Reducer);
        tuner.Send(scheduler, new RunTrial(Trial(2, 10)));
        await c.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        Assert.Equal(new SchedulerStatus(1, 1, 1), await scheduler.Ask<SchedulerStatus>(new GetSchedulerStatus(), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Outcomes_OfAGang_OnlyRankZeroSpeaksAndTheTrialEndsOnceEveryRankEnded()
    {
        var (a, b, tuner) = (CreateTestProbe("a"), CreateTestProbe("b"), CreateTestProbe("tuner"));
        var scheduler = GangScheduler([a, b], maxRestarts: 1);
        tuner.Send(scheduler, new RunTrial(Trial(1, 10)));
        await a.ExpectMsgAsync<Run>();
        await b.ExpectMsgAsync<Run>();

        var eval = new EvalRecorded(Id(1), 0, 1, 0.5, 0.1, new Dictionary<string, double> { ["validation/accuracy"] = 0.5 });
        b.Send(scheduler, Report(eval));
        a.Send(scheduler, Report(eval));
        Assert.Same(eval, await OutcomeAsync<EvalRecorded>(tuner));
        await tuner.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));

        var finished = new TrialFinished(Id(1), TrialEndReason.BudgetExhausted, 100, 10);
        a.Send(scheduler, Report(finished));
        await tuner.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        b.Send(scheduler, Report(finished));
        Assert.Same(finished, await OutcomeAsync<TrialFinished>(tuner));
        Assert.Equal(new SchedulerStatus(0, 0, 2), await scheduler.Ask<SchedulerStatus>(new GetSchedulerStatus(), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task GangFailed_OnOneRank_OtherRanksCancelledAndTheTrialRunsAgainOnANewGangWhoseOldMessagesAreDropped()
    {
        var (a, b, tuner) = (CreateTestProbe("a"), CreateTestProbe("b"), CreateTestProbe("tuner"));
        var scheduler = GangScheduler([a, b], maxRestarts: 1);
        tuner.Send(scheduler, new RunTrial(Trial(1, 10)));
        await a.ExpectMsgAsync<Run>();
        await b.ExpectMsgAsync<Run>();

        b.Send(scheduler, Report(new Trainer.Actors.GangFailed(Id(1), $"{Id(1)}#1", "rank 1 waited 120 s")));
        Assert.Equal(new Trainer.Actors.CancelTrial(Id(1)), await a.ExpectMsgAsync<Trainer.Actors.CancelTrial>());
        a.Send(scheduler, Report(new Trainer.Actors.TrialCancelled(Id(1), 40, "ckpt")));

        // Attempt 2 on the same two trainers (free again); nothing reached the tuner.
        Assert.Equal($"{Id(1)}#2", (await a.ExpectMsgAsync<Run>()).Gang!.GangId);
        Assert.Equal(1, (await b.ExpectMsgAsync<Run>()).Gang!.Rank);
        await tuner.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        var finished = new TrialFinished(Id(1), TrialEndReason.TargetsReached, 80, 9);
        a.Send(scheduler, Report(finished, attempt: 2));
        b.Send(scheduler, Report(finished, attempt: 2));
        Assert.Same(finished, await OutcomeAsync<TrialFinished>(tuner));
    }

    [Fact]
    public async Task GangFailed_MoreOftenThanTheRestartsAllowed_ReportsTheTrialFailedWithTheLastReason()
    {
        var (a, b, tuner) = (CreateTestProbe("a"), CreateTestProbe("b"), CreateTestProbe("tuner"));
        var scheduler = GangScheduler([a, b], maxRestarts: 1);
        tuner.Send(scheduler, new RunTrial(Trial(1, 10)));
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            await a.ExpectMsgAsync<Run>();
            await b.ExpectMsgAsync<Run>();
            a.Send(scheduler, Report(new Trainer.Actors.GangFailed(Id(1), $"{Id(1)}#{attempt}", $"timeout {attempt}"), attempt));
            await b.ExpectMsgAsync<Trainer.Actors.CancelTrial>();
            b.Send(scheduler, Report(new Trainer.Actors.GangFailed(Id(1), $"{Id(1)}#{attempt}", $"timeout {attempt}"), attempt));
        }

        Assert.Equal("it failed 2 times (at most 1 restarts); the last time: timeout 2", (await OutcomeAsync<TrialFailed>(tuner)).Error);
    }

    [Fact]
    public async Task TrialFailed_OnEveryRankOfAGang_IsTheTrialsFailureAndNotARestart()
    {
        var (a, b, tuner) = (CreateTestProbe("a"), CreateTestProbe("b"), CreateTestProbe("tuner"));
        var scheduler = GangScheduler([a, b], maxRestarts: 1);
        tuner.Send(scheduler, new RunTrial(Trial(1, 10)));
        await a.ExpectMsgAsync<Run>();
        await b.ExpectMsgAsync<Run>();

        // Rank 1's report comes first: rank 0 is told to stop (it has already failed too, and ignores it).
        b.Send(scheduler, Report(new TrialFailed(Id(1), "update_params failed at step 3: boom", null)));
        await a.ExpectMsgAsync<Trainer.Actors.CancelTrial>();
        a.Send(scheduler, Report(new TrialFailed(Id(1), "update_params failed at step 3: boom", null)));

        Assert.Equal("update_params failed at step 3: boom", (await OutcomeAsync<TrialFailed>(tuner)).Error);
        await a.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    private IActorRef GangScheduler(TestProbe[] trainers, int maxRestarts) =>
        Sys.ActorOf(SchedulerActor.Props(
            [.. trainers.Select(IgnoringAcks)],
            (t, g, a) => new Run(t, g, a),
            id => new Trainer.Actors.CancelTrial(id),
            new GangSettings(2, TimeSpan.FromSeconds(30), maxRestarts, AcrossHosts: false)));

    // A trainer probe of a test about dispatching: the scheduler's acknowledgements of its reports are not looked at.
    private static IActorRef IgnoringAcks(TestProbe trainer)
    {
        trainer.IgnoreMessages<ResultAck>();
        return trainer.Ref;
    }

    private IActorRef Scheduler(TestProbe trainer) =>
        Sys.ActorOf(SchedulerActor.Props([IgnoringAcks(trainer)], (t, _, a) => new Run(t, null, a), id => new Cancel(id)));

    private static TrialId Id(int trial) => new("nadamw", "fmnist_mlp", 1, trial);

    private static PlannedTrial Trial(int trial, double budget) => new(Id(trial), HyperparameterPoint.Empty, (ulong)trial, budget);

    private long _seq;

    private TrialReport Report(object body, int attempt = 1)
    {
        var trial = body switch
        {
            TrialFinished f => f.Trial,
            TrialFailed f => f.Trial,
            EvalRecorded e => e.Trial,
            TrialStarted t => t.Trial,
            CheckpointSaved c => c.Trial,
            Trainer.Actors.TrialCancelled c => c.Trial,
            Trainer.Actors.GangFailed g => g.Trial,
            _ => throw new ArgumentException(body.ToString(), nameof(body)),
        };
        return new TrialReport(trial, attempt, ++_seq, body);
    }

    // What a tuner gets of a trial's end: the trainer's report of it, or the scheduler's own outcome.
    private static async Task<T> OutcomeAsync<T>(TestProbe tuner, Func<T, bool>? where = null)
    {
        var outcome = await tuner.FishForMessageAsync<object>(m => (m is AttemptOutcome { Outcome: T a } && (where?.Invoke(a) ?? true)) || (m is T t && (where?.Invoke(t) ?? true)));
        return outcome is AttemptOutcome delivered ? (T)delivered.Outcome : (T)outcome;
    }

    private sealed record Run(PlannedTrial Trial, Trainer.Actors.GangAssignment? Gang = null, int Attempt = 1);

    private sealed class Forwarder(IActorRef target) : UntypedActor
    {
        protected override void OnReceive(object message) => target.Tell(message, Sender);
    }

    private sealed record Cancel(TrialId Trial);
}
