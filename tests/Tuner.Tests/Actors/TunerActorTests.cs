using System.Text.Json;
using AlgoPerf.Actors;
using AlgoPerf.Actors.Pattern;
using AlgoPerf.Actors.Persistence.Journal;
using AlgoPerf.Contracts.Serialization;
using AlgoPerf.Actors.Persistence.Journal.Sqlite;
using AlgoPerf.Actors.Persistence.Journal.Testing;
using AlgoPerf.Actors.TestKit;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Tuner.Actors;
using AlgoPerf.Tuner.Persistence;
using AlgoPerf.Tuner.Plans;
using AlgoPerf.Tuner.Tests.Persistence;
using static AlgoPerf.Tuner.Tests.Studies.StudyStateTests;

namespace AlgoPerf.Tuner.Tests.Actors;

public sealed class TunerActorTests : IAsyncLifetime
{
    private readonly TestClock _clock = new();
    private readonly ActorSystem _sys;

    public TunerActorTests() => _sys = ActorSystem.Create(nameof(TunerActorTests), timeProvider: _clock);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sys.Terminate().WaitAsync(TestKitSettings.Current.Dilated(TimeSpan.FromSeconds(10)));

    [Fact]
    public async Task Start_NewStudy_PersistsThePlanAndRequestsEveryTrialInOrder()
    {
        var (runner, listener) = (new TestProbe(_sys, "runner"), new TestProbe(_sys, "listener"));
        var journal = StudyJournalTests.NewJournal();
        var plan = StudyPlanner.Plan(TestRules.Request());

        var tuner = _sys.ActorOf(TunerActor.Props(TestRules.Request(), journal, runner.Ref, listener.Ref));

        foreach (var trial in plan.Trials)
        {
            Assert.Equal(trial, (await runner.ExpectMsgAsync<RunTrial>()).Trial);
        }

        var status = await tuner.Ask<StudyStatus>(GetStudyStatus.Instance, TimeSpan.FromSeconds(5));
        Assert.Equal(new StudyStatus(TestRules.Study(), 5, 0, 6, null), status);
    }

    [Fact]
    public async Task Start_PlanRejectedByTheJournal_StopsWithoutRequestingTrials()
    {
        var (runner, watcher) = (new TestProbe(_sys, "runner"), new TestProbe(_sys, "watcher"));
        // A serializer without the tuner's StudyPlanned: the plan write is rejected, and would be on every restart.
        var journal = new MemoryJournal(new JsonEventSerializer(EventTypeRegistry.ForContracts()));

        var tuner = _sys.ActorOf(TunerActor.Props(TestRules.Request(), journal, runner.Ref, watcher.Ref));
        watcher.Watch(tuner);

        await watcher.ExpectTerminatedAsync(tuner);
        await runner.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Recovery_KilledMidStudy_NeverReplansNeverRerunsFinishedTrialsAndDecides()
    {
        var (runner, listener) = (new TestProbe(_sys, "runner"), new TestProbe(_sys, "listener"));
        var journal = StudyJournalTests.NewJournal();
        var plan = StudyPlanner.Plan(TestRules.Request());
        var first = _sys.ActorOf(TunerActor.Props(TestRules.Request(), journal, runner.Ref, listener.Ref));
        for (var i = 0; i < 5; i++)
        {
            await runner.ExpectMsgAsync<RunTrial>();
        }

        runner.Send(first, Eval(1, 0, 10, 0.6));
        runner.Send(first, Eval(1, 1, 20, 0.45));
        runner.Send(first, new TrialFinished(Id(1), TrialEndReason.TargetsReached, 200, 20));
        runner.Send(first, new TrialFailed(Id(2), "CUDA out of memory", null));
        runner.Send(first, Eval(3, 0, 8, 0.7));
        Assert.Equal(11, (await first.Ask<StudyStatus>(GetStudyStatus.Instance, TimeSpan.FromSeconds(5))).EventsPersisted);

        // Kill the tuner mid-study, then start a new one with a different run seed: the journal's plan must win.
        var watcher = new TestProbe(_sys, "watcher");
        watcher.Watch(first);
        _sys.Stop(first);
        await watcher.ExpectTerminatedAsync(first);
        var second = _sys.ActorOf(TunerActor.Props(TestRules.Request(runSeed: 99), journal, runner.Ref, listener.Ref));

        Assert.Equal(plan.Trials[2], (await runner.ExpectMsgAsync<RunTrial>()).Trial);
        Assert.Equal(plan.Trials[3], (await runner.ExpectMsgAsync<RunTrial>()).Trial);
        Assert.Equal(plan.Trials[4], (await runner.ExpectMsgAsync<RunTrial>()).Trial);
        Assert.Equal(new StudyStatus(TestRules.Study(), 5, 2, 11, null), await second.Ask<StudyStatus>(GetStudyStatus.Instance, TimeSpan.FromSeconds(5)));

        runner.Send(second, Eval(3, 0, 8, 0.7)); // a redelivered outcome is not persisted twice
        runner.Send(second, Eval(3, 1, 16, 0.4));
        runner.Send(second, new TrialFinished(Id(3), TrialEndReason.TargetsReached, 160, 16));
        runner.Send(second, new TrialFinished(Id(4), TrialEndReason.BudgetExhausted, 1000, 100));
        runner.Send(second, new TrialFinished(Id(5), TrialEndReason.BudgetExhausted, 1000, 100));

        // Trials 1 and 3 first hit at eval index 1; the reference rule ties to the faster (trial 3, 16 s).
        Assert.Equal(new StudyDecided(TestRules.Study(), "reference", 3, 1, 16), await listener.ExpectMsgAsync<StudyDecided>());
        Assert.Equal(16, (await second.Ask<StudyStatus>(GetStudyStatus.Instance, TimeSpan.FromSeconds(5))).EventsPersisted);
        await runner.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    /// <summary>What the runner reports for each trial of the scripted study, in order (trial 3 is cut by the kill).</summary>
    private static readonly IReadOnlyDictionary<int, IEvent[]> s_history = new Dictionary<int, IEvent[]>
    {
        [1] = [Eval(1, 0, 10, 0.6), Eval(1, 1, 20, 0.45), new TrialFinished(Id(1), TrialEndReason.TargetsReached, 200, 20)],
        [2] = [new TrialFailed(Id(2), "CUDA out of memory", null)],
        [3] = [Eval(3, 0, 8, 0.7), Eval(3, 1, 16, 0.4), new TrialFinished(Id(3), TrialEndReason.TargetsReached, 160, 16)],
        [4] = [Eval(4, 0, 9, 0.9), Eval(4, 1, 18, 0.8), new TrialFinished(Id(4), TrialEndReason.BudgetExhausted, 1000, 18)],
        [5] = [Eval(5, 0, 7, 0.55), Eval(5, 1, 14, 0.52), Eval(5, 2, 21, 0.49), new TrialFinished(Id(5), TrialEndReason.TargetsReached, 210, 21)],
    };

    [Fact]
    public async Task Recovery_SystemKilledMidStudyOverSqliteFile_ResumesWithoutReplanOrRerunAndDecidesAsUninterrupted()
    {
        var dir = Directory.CreateTempSubdirectory("algoperf-tuner-").FullName;
        try
        {
            var plan = StudyPlanner.Plan(TestRules.Request());
            var (expectedDecision, expectedStream) = await RunUninterruptedAsync(Path.Combine(dir, "uninterrupted.db"));
            var file = Path.Combine(dir, "journal.db");

            // First life: every trial requested; trials 1 and 2 end, trial 3 records one eval; then the process dies.
            await using (var store = await OpenAsync(file))
            {
                var sys = ActorSystem.Create("first-life");
                var runner = new TestProbe(sys, "runner");
                var tuner = sys.ActorOf(TunerActor.Props(TestRules.Request(), store.Journal, runner.Ref, new TestProbe(sys, "listener").Ref));
                foreach (var trial in plan.Trials)
                {
                    Assert.Equal(trial, (await runner.ExpectMsgAsync<RunTrial>()).Trial);
                }

                Send(runner, tuner, [.. s_history[1], .. s_history[2], s_history[3][0]]);
                Assert.Equal(new StudyStatus(TestRules.Study(), 5, 2, 11, null), await tuner.Ask<StudyStatus>(GetStudyStatus.Instance, TimeSpan.FromSeconds(10)));
                await sys.Terminate();
            }

            // Second life: a new system over the same file, configured with another run seed (which would plan differently).
            var replan = StudyPlanner.Plan(TestRules.Request(runSeed: 99));
            Assert.False(replan.SameAs(plan));
            await using (var store = await OpenAsync(file))
            {
                var sys = ActorSystem.Create("second-life");
                try
                {
                    var (runner, listener) = (new TestProbe(sys, "runner"), new TestProbe(sys, "listener"));
                    var tuner = sys.ActorOf(TunerActor.Props(TestRules.Request(runSeed: 99), store.Journal, runner.Ref, listener.Ref));

                    // Only the unfinished trials, with the first life's hyperparameters and seeds.
                    Assert.Equal(plan.Trials[2], (await runner.ExpectMsgAsync<RunTrial>()).Trial);
                    Assert.Equal(plan.Trials[3], (await runner.ExpectMsgAsync<RunTrial>()).Trial);
                    Assert.Equal(plan.Trials[4], (await runner.ExpectMsgAsync<RunTrial>()).Trial);
                    Assert.Equal(0, runner.Pending);

                    // Trial 3 resumes from its checkpoint and re-reports its first eval; the tuner keeps it once.
                    Send(runner, tuner, [.. s_history[3], .. s_history[4], .. s_history[5]]);

                    Assert.Equal(expectedDecision, await listener.ExpectMsgAsync<StudyDecided>());
                    Assert.Equal(0, runner.Pending);
                }
                finally
                {
                    await sys.Terminate();
                }

                Assert.Equal(expectedStream, await StreamAsync(store.Journal));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The scripted study without a kill: its decision and its persisted stream (type tag and JSON per event).</summary>
    private static async Task<(StudyDecided Decision, List<string> Stream)> RunUninterruptedAsync(string file)
    {
        await using var store = await OpenAsync(file);
        var sys = ActorSystem.Create("uninterrupted");
        try
        {
            var (runner, listener) = (new TestProbe(sys, "runner"), new TestProbe(sys, "listener"));
            var tuner = sys.ActorOf(TunerActor.Props(TestRules.Request(), store.Journal, runner.Ref, listener.Ref));
            for (var i = 0; i < 5; i++)
            {
                await runner.ExpectMsgAsync<RunTrial>();
            }

            Send(runner, tuner, [.. s_history.OrderBy(h => h.Key).SelectMany(h => h.Value)]);
            var decision = await listener.ExpectMsgAsync<StudyDecided>();

            // Trials 1, 3 and 5 first hit at eval index 1 or 2; 1 and 3 tie at index 1 and trial 3 is faster.
            Assert.Equal(new StudyDecided(TestRules.Study(), "reference", 3, 1, 16), decision);
            return (decision, await StreamAsync(store.Journal));
        }
        finally
        {
            await sys.Terminate();
        }
    }

    private static void Send(TestProbe runner, IActorRef tuner, IEnumerable<IEvent> outcomes)
    {
        foreach (var e in outcomes)
        {
            runner.Send(tuner, e);
        }
    }

    private static Task<PersistenceStore> OpenAsync(string file) => PersistenceStore.OpenSqliteAsync(
        new SqliteStoreOptions(file), new JsonEventSerializer(StudyJournal.RegisterEvents(EventTypeRegistry.ForContracts())));

    private static async Task<List<string>> StreamAsync(IJournal journal)
    {
        var stream = new List<string>();
        await foreach (var e in journal.ReplayAsync(StudyJournal.PersistenceIdOf(TestRules.Study()), 1, long.MaxValue, long.MaxValue))
        {
            stream.Add($"{e.SequenceNr} {e.TypeTag} {JsonSerializer.Serialize(e.Payload, e.Payload.GetType(), JsonEventSerializer.Options)}");
        }

        return stream;
    }

    [Fact]
    public async Task Recovery_DecidedStudy_AnnouncesTheDecisionAndRequestsNothing()
    {
        var (runner, listener) = (new TestProbe(_sys, "runner"), new TestProbe(_sys, "listener"));
        var journal = StudyJournalTests.NewJournal();
        var first = _sys.ActorOf(TunerActor.Props(TestRules.Request() with { Ruleset = Ruleset.SelfTuning, Space = null }, journal, runner.Ref, listener.Ref));
        var run = await runner.ExpectMsgAsync<RunTrial>();
        Assert.Empty(run.Trial.Hyperparameters.Values);
        runner.Send(first, new TrialFailed(Id(1), "diverged", null));
        var decision = await listener.ExpectMsgAsync<StudyDecided>();
        _sys.Stop(first);

        _sys.ActorOf(TunerActor.Props(TestRules.Request() with { Ruleset = Ruleset.SelfTuning, Space = null }, journal, runner.Ref, listener.Ref));

        Assert.Equal(decision, await listener.ExpectMsgAsync<StudyDecided>());
        await runner.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task EarlyStopping_On_StopsSettledAndDominatedTrials()
    {
        var (runner, listener) = (new TestProbe(_sys, "runner"), new TestProbe(_sys, "listener"));
        var tuner = _sys.ActorOf(TunerActor.Props(TestRules.Request(earlyStopping: true), StudyJournalTests.NewJournal(), runner.Ref, listener.Ref));
        for (var i = 0; i < 5; i++)
        {
            await runner.ExpectMsgAsync<RunTrial>();
        }

        runner.Send(tuner, Eval(1, 0, 10, 0.3));
        Assert.Equal(new StopTrial(Id(1)), await runner.ExpectMsgAsync<StopTrial>());
        runner.Send(tuner, Eval(2, 0, 5, 0.9));
        Assert.Equal(new StopTrial(Id(2)), await runner.ExpectMsgAsync<StopTrial>());
        runner.Send(tuner, new TrialFinished(Id(1), TrialEndReason.StoppedEarly, 100, 10));
        runner.Send(tuner, new TrialFinished(Id(2), TrialEndReason.StoppedEarly, 50, 5));
        for (var t = 3; t <= 5; t++)
        {
            runner.Send(tuner, new TrialFinished(Id(t), TrialEndReason.BudgetExhausted, 1000, 100));
        }

        Assert.Equal(new StudyDecided(TestRules.Study(), "reference", 1, 0, 10), await listener.ExpectMsgAsync<StudyDecided>());
    }

    [Fact]
    public async Task Persist_WriteFailsWithUnknownOutcome_RestartsRecoversAndReRequestsUnfinishedTrials()
    {
        var (runner, listener) = (new TestProbe(_sys, "runner"), new TestProbe(_sys, "listener"));
        var journal = new TestJournal(StudyJournalTests.NewJournal());
        journal.Writes.FailAfterStoring(e => e.Payload is TrialFinished, times: 1);
        var tuner = _sys.ActorOf(TunerActor.Props(TestRules.Request(), journal, runner.Ref, listener.Ref));
        for (var i = 0; i < 5; i++)
        {
            await runner.ExpectMsgAsync<RunTrial>();
        }

        runner.Send(tuner, new TrialFinished(Id(1), TrialEndReason.BudgetExhausted, 1000, 100));

        // The write landed but the tuner could not know: it restarts, recovers, and asks only for trials 2..5.
        for (var t = 2; t <= 5; t++)
        {
            Assert.Equal(Id(t), (await runner.ExpectMsgAsync<RunTrial>()).Trial.Trial);
        }

        Assert.Equal(new StudyStatus(TestRules.Study(), 5, 1, 7, null), await tuner.Ask<StudyStatus>(GetStudyStatus.Instance, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Journal_BreakerOpenAfterAFailedWrite_RecoversWhenItHalfOpensWithoutRestartLoop()
    {
        var (runner, listener) = (new TestProbe(_sys, "runner"), new TestProbe(_sys, "listener"));
        var inner = new TestJournal(StudyJournalTests.NewJournal());
        inner.Writes.Fail(e => e.Payload is TrialFinished, times: 1);
        var journal = new CircuitBreakingJournal(inner, new CircuitBreakerSettings(1, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30)), _clock);
        var tuner = _sys.ActorOf(TunerActor.Props(TestRules.Request(), journal, runner.Ref, listener.Ref));
        for (var i = 0; i < 5; i++)
        {
            await runner.ExpectMsgAsync<RunTrial>();
        }

        // The failed write opens the breaker; the restarted tuner's recovery is refused, so it waits for the breaker
        // (one timer) instead of restarting against it, and requests nothing meanwhile.
        runner.Send(tuner, new TrialFinished(Id(1), TrialEndReason.BudgetExhausted, 1000, 100));
        await _clock.WaitForPendingTimersAsync(1);
        Assert.Equal(CircuitBreakerState.Open, journal.Breaker.State);
        await runner.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));

        _clock.Advance(TimeSpan.FromSeconds(30));

        // The retry is the probe: recovery succeeds, the breaker closes, and the unfinished trials (all five: the
        // failed write did not land) are requested again.
        for (var t = 1; t <= 5; t++)
        {
            Assert.Equal(Id(t), (await runner.ExpectMsgAsync<RunTrial>()).Trial.Trial);
        }

        Assert.Equal(CircuitBreakerState.Closed, journal.Breaker.State);
        Assert.Equal(new StudyStatus(TestRules.Study(), 5, 0, 6, null), await tuner.Ask<StudyStatus>(GetStudyStatus.Instance, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Persist_RefusedByOpenBreaker_RetriesTheSameWriteWithoutRestarting()
    {
        var (runner, listener) = (new TestProbe(_sys, "runner"), new TestProbe(_sys, "listener"));
        var journal = new CircuitBreakingJournal(StudyJournalTests.NewJournal(), new CircuitBreakerSettings(1, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30)), _clock);
        var tuner = _sys.ActorOf(TunerActor.Props(TestRules.Request(), journal, runner.Ref, listener.Ref));
        for (var i = 0; i < 5; i++)
        {
            await runner.ExpectMsgAsync<RunTrial>();
        }

        // Another user of the journal meets a database failure: the breaker opens under the tuner.
        await Assert.ThrowsAsync<IOException>(() => journal.Breaker.CallAsync<int>(_ => throw new IOException("database down")));
        runner.Send(tuner, new TrialFinished(Id(1), TrialEndReason.BudgetExhausted, 1000, 100));
        await _clock.WaitForPendingTimersAsync(1);
        _clock.Advance(TimeSpan.FromSeconds(30));

        // The same TrialFinished is written on the retry; no restart, so no trial is requested again.
        Assert.Equal(new StudyStatus(TestRules.Study(), 5, 1, 7, null), await tuner.Ask<StudyStatus>(GetStudyStatus.Instance, TimeSpan.FromSeconds(5)));
        await runner.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Start_InvalidRequest_StopsTheActor()
    {
        var runner = new TestProbe(_sys, "runner");
        var watcher = new TestProbe(_sys, "watcher");
        var request = TestRules.Request() with { Ruleset = Ruleset.SelfTuning };

        var tuner = _sys.ActorOf(TunerActor.Props(request, StudyJournalTests.NewJournal(), runner.Ref));
        watcher.Watch(tuner);

        await watcher.ExpectTerminatedAsync(tuner);
        Assert.Equal(0, runner.Pending);
    }
}
