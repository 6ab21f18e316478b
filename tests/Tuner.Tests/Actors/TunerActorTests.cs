using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Persistence.TestKit;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit;
using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Tests.Shared;
using AlgoPerf.Tuner.Actors;
using AlgoPerf.Tuner.Plans;
using Microsoft.Data.Sqlite;
using static AlgoPerf.Tuner.Tests.Studies.StudyStateTests;

namespace AlgoPerf.Tuner.Tests.Actors;

/// <summary>
/// The persistent tuner on Akka.Persistence: on the real journal (SQLite and PostgreSQL, the same tests) it plans once
/// and a restarted tuner recovers without re-planning or re-running finished trials; on Akka.Persistence.TestKit's
/// journal, injected write failures, rejections and recovery failures lose no outcome and count none twice, or give
/// the study up with an error naming the stream.
/// </summary>
public sealed class TunerActorTests() : Akka.TestKit.Xunit2.TestKit(TestKitJournal)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(20);

    private static Akka.Configuration.Config TestKitJournal =>
        Akka.Configuration.ConfigurationFactory.FromResource<Akka.Persistence.TestKit.TestJournal>("Akka.Persistence.TestKit.config.conf")
            .WithFallback(AlgoPerfConfig.Reference);

    /// <summary>What the runner reports for each trial of the scripted study, in order (trial 3 is cut by the kill).</summary>
    private static readonly IReadOnlyDictionary<int, IEvent[]> s_history = new Dictionary<int, IEvent[]>
    {
        [1] = [Eval(1, 0, 10, 0.6), Eval(1, 1, 20, 0.45), new TrialFinished(Id(1), TrialEndReason.TargetsReached, 200, 20)],
        [2] = [new TrialFailed(Id(2), "CUDA out of memory", null)],
        [3] = [Eval(3, 0, 8, 0.7), Eval(3, 1, 16, 0.4), new TrialFinished(Id(3), TrialEndReason.TargetsReached, 160, 16)],
        [4] = [Eval(4, 0, 9, 0.9), Eval(4, 1, 18, 0.8), new TrialFinished(Id(4), TrialEndReason.BudgetExhausted, 1000, 18)],
        [5] = [Eval(5, 0, 7, 0.55), Eval(5, 1, 14, 0.52), Eval(5, 2, 21, 0.49), new TrialFinished(Id(5), TrialEndReason.TargetsReached, 210, 21)],
    };

    private ITestJournal Journal => Akka.Persistence.TestKit.TestJournal.FromRef(Persistence.Instance.Apply(Sys).JournalFor(null));

    [Theory]
    [MemberData(nameof(TestDatabase.Stores), MemberType = typeof(TestDatabase))]
    public async Task Start_NewStudy_PersistsThePlanAndRequestsEveryTrialInOrder(TestStore store)
    {
        using var journal = TestDatabase.Create(store);
        await WithSystemAsync(journal, async system =>
        {
            var (runner, listener) = (CreateTestProbe(system, "runner"), CreateTestProbe(system, "listener"));
            var plan = StudyPlanner.Plan(TestRules.Request());

            var tuner = system.ActorOf(TunerActor.Props(TestRules.Request(), runner.Ref, listener.Ref));

            foreach (var trial in plan.Trials)
            {
                Assert.Equal(trial, (await runner.ExpectMsgAsync<RunTrial>(Long)).Trial);
            }

            Assert.Equal(new StudyStatus(TestRules.Study(), 5, 0, 6, null), await tuner.Ask<StudyStatus>(GetStudyStatus.Instance, Long));
        });
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Stores), MemberType = typeof(TestDatabase))]
    public async Task Recovery_SystemRestartedMidStudy_NeverReplansNeverRerunsFinishedTrialsAndDecidesAsUninterrupted(TestStore store)
    {
        using var uninterrupted = TestDatabase.Create(store);
        using var journal = TestDatabase.Create(store);
        var plan = StudyPlanner.Plan(TestRules.Request());
        StudyDecided? expected = null;
        await WithSystemAsync(uninterrupted, async system =>
        {
            var (runner, listener) = (CreateTestProbe(system, "runner"), CreateTestProbe(system, "listener"));
            var tuner = system.ActorOf(TunerActor.Props(TestRules.Request(), runner.Ref, listener.Ref));
            await runner.ReceiveNAsync(5, Long).ToListAsync();
            Send(runner, tuner, s_history.OrderBy(h => h.Key).SelectMany(h => h.Value));
            expected = await listener.ExpectMsgAsync<StudyDecided>(Long);
        });

        // Trials 1, 3 and 5 first hit at eval index 1 or 2; 1 and 3 tie at index 1 and trial 3 is faster.
        Assert.Equal(new StudyDecided(TestRules.Study(), "reference", 3, 1, 16), expected);

        // First life: every trial requested; trials 1 and 2 end, trial 3 records one eval; then the system goes.
        await WithSystemAsync(journal, async system =>
        {
            var runner = CreateTestProbe(system, "runner");
            var tuner = system.ActorOf(TunerActor.Props(TestRules.Request(), runner.Ref, CreateTestProbe(system, "listener").Ref));
            foreach (var trial in plan.Trials)
            {
                Assert.Equal(trial, (await runner.ExpectMsgAsync<RunTrial>(Long)).Trial);
            }

            Send(runner, tuner, [.. s_history[1], .. s_history[2], s_history[3][0]]);
            Assert.Equal(new StudyStatus(TestRules.Study(), 5, 2, 11, null), await tuner.Ask<StudyStatus>(GetStudyStatus.Instance, Long));
        });

        // Second life, configured with another run seed (which would plan differently): the journal's plan wins.
        Assert.False(StudyPlanner.Plan(TestRules.Request(runSeed: 99)).SameAs(plan));
        await WithSystemAsync(journal, async system =>
        {
            var (runner, listener) = (CreateTestProbe(system, "runner"), CreateTestProbe(system, "listener"));
            var tuner = system.ActorOf(TunerActor.Props(TestRules.Request(runSeed: 99), runner.Ref, listener.Ref));

            Assert.Equal(plan.Trials[2], (await runner.ExpectMsgAsync<RunTrial>(Long)).Trial);
            Assert.Equal(plan.Trials[3], (await runner.ExpectMsgAsync<RunTrial>(Long)).Trial);
            Assert.Equal(plan.Trials[4], (await runner.ExpectMsgAsync<RunTrial>(Long)).Trial);
            Assert.Equal(new StudyStatus(TestRules.Study(), 5, 2, 11, null), await tuner.Ask<StudyStatus>(GetStudyStatus.Instance, Long));

            // Trial 3 resumes from its checkpoint and re-reports its first eval; the tuner keeps it once.
            Send(runner, tuner, [.. s_history[3], .. s_history[4], .. s_history[5]]);

            Assert.Equal(expected, await listener.ExpectMsgAsync<StudyDecided>(Long));
            Assert.Equal(21, (await tuner.Ask<StudyStatus>(GetStudyStatus.Instance, Long)).EventsPersisted);
            await runner.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        });

        Assert.Equal(await StreamAsync(uninterrupted), await StreamAsync(journal));
    }

    [Fact]
    public async Task Recovery_DecidedStudy_AnnouncesTheDecisionAndRequestsNothing()
    {
        var (runner, listener, watcher) = (CreateTestProbe("runner"), CreateTestProbe("listener"), CreateTestProbe("watcher"));
        var request = TestRules.Request() with { Ruleset = Ruleset.SelfTuning, Space = null };
        var first = Sys.ActorOf(TunerActor.Props(request, runner.Ref, listener.Ref));
        var run = await runner.ExpectMsgAsync<RunTrial>();
        Assert.Empty(run.Trial.Hyperparameters.Values);
        runner.Send(first, new TrialFailed(Id(1), "diverged", null));
        var decision = await listener.ExpectMsgAsync<StudyDecided>();
        watcher.Watch(first);
        Sys.Stop(first);
        await watcher.ExpectTerminatedAsync(first);

        Sys.ActorOf(TunerActor.Props(request, runner.Ref, listener.Ref));

        Assert.Equal(decision, await listener.ExpectMsgAsync<StudyDecided>());
        await runner.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Outcome_DeliveredTwice_IsPersistedOnce()
    {
        var (runner, listener) = (CreateTestProbe("runner"), CreateTestProbe("listener"));
        var tuner = Sys.ActorOf(TunerActor.Props(TestRules.Request(), runner.Ref, listener.Ref));
        await runner.ReceiveNAsync(5).ToListAsync();

        Send(runner, tuner, [Eval(1, 0, 10, 0.6), Eval(1, 0, 10, 0.6), new TrialFinished(Id(1), TrialEndReason.BudgetExhausted, 10, 10), new TrialFinished(Id(1), TrialEndReason.BudgetExhausted, 10, 10)]);

        Assert.Equal(new StudyStatus(TestRules.Study(), 5, 1, 8, null), await tuner.Ask<StudyStatus>(GetStudyStatus.Instance));
    }

    [Fact]
    public async Task TrialStarted_OfAnOpenTrialAndAgainOnResume_PersistedEachTimeButNotAfterTheTrialEnded()
    {
        var (runner, listener) = (CreateTestProbe("runner"), CreateTestProbe("listener"));
        var tuner = Sys.ActorOf(TunerActor.Props(TestRules.Request(), runner.Ref, listener.Ref));
        await runner.ReceiveNAsync(5).ToListAsync();

        // Plan: 1 header + 5 trials = 6 events; two starts (a start and a resume) and the end: 9; a start after the end: none.
        Send(runner, tuner, [new TrialStarted(Id(1), 0, 0), new TrialStarted(Id(1), 1, 40), new TrialFinished(Id(1), TrialEndReason.BudgetExhausted, 10, 10), new TrialStarted(Id(1), 2, 80)]);

        Assert.Equal(new StudyStatus(TestRules.Study(), 5, 1, 9, null), await tuner.Ask<StudyStatus>(GetStudyStatus.Instance));
    }

    [Fact]
    public async Task EarlyStopping_On_StopsSettledAndDominatedTrials()
    {
        var (runner, listener) = (CreateTestProbe("runner"), CreateTestProbe("listener"));
        var tuner = Sys.ActorOf(TunerActor.Props(TestRules.Request(earlyStopping: true), runner.Ref, listener.Ref));
        await runner.ReceiveNAsync(5).ToListAsync();

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
    public async Task Persist_WriteFails_SupervisedTunerRestartsRecoversAndCountsTheResentOutcomeOnce()
    {
        var (runner, listener) = (CreateTestProbe("runner"), CreateTestProbe("listener"));
        var supervisor = Sys.ActorOf(TunerActor.Supervised(TestRules.Request(), runner.Ref, listener.Ref, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), 0));
        await runner.ReceiveNAsync(5, Long).ToListAsync();
        await Journal.OnWrite.SetInterceptorAsync(new FailOnce<TrialFinished>());

        runner.Send(supervisor, new TrialFinished(Id(1), TrialEndReason.BudgetExhausted, 1000, 100));

        // The write failed: the tuner stopped, its supervisor started it again, and it recovered what landed (the
        // plan): every trial is unfinished, so all five are requested again. The runner re-sends the outcome.
        var again = await runner.ReceiveNAsync(5, Long).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 5).Select(Id), again.Cast<RunTrial>().Select(r => r.Trial.Trial));
        await Journal.OnWrite.Pass();
        runner.Send(supervisor, new TrialFinished(Id(1), TrialEndReason.BudgetExhausted, 1000, 100));
        runner.Send(supervisor, new TrialFinished(Id(1), TrialEndReason.BudgetExhausted, 1000, 100));

        Assert.Equal(new StudyStatus(TestRules.Study(), 5, 1, 7, null), await supervisor.Ask<StudyStatus>(GetStudyStatus.Instance, Long));
    }

    [Fact]
    public async Task Persist_OutcomeRejected_IsLoggedAndTheTunerGoesOnWithoutIt()
    {
        var (runner, listener) = (CreateTestProbe("runner"), CreateTestProbe("listener"));
        var tuner = Sys.ActorOf(TunerActor.Props(TestRules.Request(), runner.Ref, listener.Ref));
        await runner.ReceiveNAsync(5).ToListAsync();
        await Journal.OnWrite.SetInterceptorAsync(new RejectOnce<TrialFailed>());

        runner.Send(tuner, new TrialFailed(Id(2), "rejected", null));
        runner.Send(tuner, new TrialFinished(Id(1), TrialEndReason.BudgetExhausted, 1000, 100));

        // Trial 2's failure is not stored (Akka does not reuse the rejected write's sequence number 7); trial 1's end is.
        Assert.Equal(new StudyStatus(TestRules.Study(), 5, 1, 8, null), await tuner.Ask<StudyStatus>(GetStudyStatus.Instance));
        await listener.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Start_PlanRejected_GivesTheStudyUpAndStopsWithoutRequestingTrials()
    {
        var (runner, listener, watcher) = (CreateTestProbe("runner"), CreateTestProbe("listener"), CreateTestProbe("watcher"));
        await Journal.OnWrite.Reject();

        var supervisor = Sys.ActorOf(TunerActor.Supervised(TestRules.Request(), runner.Ref, listener.Ref, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), 0));
        watcher.Watch(supervisor);

        var abandoned = await listener.ExpectMsgAsync<StudyAbandoned>();
        Assert.StartsWith("the journal rejected the plan of tuner/nadamw/mnist/study_0", abandoned.Reason, StringComparison.Ordinal);
        await watcher.ExpectTerminatedAsync(supervisor);
        await runner.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Recovery_FailsWhileTheJournalIsDown_SupervisorRetriesAndTheTunerGoesOnOnceItIsBack()
    {
        var (runner, listener) = (CreateTestProbe("runner"), CreateTestProbe("listener"));
        var first = Sys.ActorOf(TunerActor.Props(TestRules.Request(), runner.Ref, listener.Ref));
        await runner.ReceiveNAsync(5).ToListAsync();
        runner.Send(first, new TrialFinished(Id(1), TrialEndReason.BudgetExhausted, 1000, 100));
        Assert.Equal(7, (await first.Ask<StudyStatus>(GetStudyStatus.Instance)).EventsPersisted);
        await WatchStopAsync(first);
        await Journal.OnRecovery.Fail();

        var supervisor = Sys.ActorOf(TunerActor.Supervised(TestRules.Request(), runner.Ref, listener.Ref, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), 0));
        await runner.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(500));
        await Journal.OnRecovery.Pass();

        // Back: the next incarnation recovers the plan and trial 1's end, and asks only for trials 2 to 5.
        var again = await runner.ReceiveNAsync(4, Long).ToListAsync();
        Assert.Equal(Enumerable.Range(2, 4).Select(Id), again.Cast<RunTrial>().Select(r => r.Trial.Trial));
        Assert.Equal(new StudyStatus(TestRules.Study(), 5, 1, 7, null), await supervisor.Ask<StudyStatus>(GetStudyStatus.Instance, Long));
        await listener.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Recovery_CorruptStoredEvent_GivesTheStudyUpNamingItsSequenceNumberAndChangesNothingStored()
    {
        using var journal = TestDatabase.Create(TestStore.Sqlite);
        await WithSystemAsync(journal, async system =>
        {
            var runner = CreateTestProbe(system, "runner");
            system.ActorOf(TunerActor.Props(TestRules.Request(), runner.Ref, CreateTestProbe(system, "listener").Ref));
            await runner.ReceiveNAsync(5, Long).ToListAsync();
        });
        var file = journal.Store.SqliteFile!;
        Execute(file, "UPDATE journal SET manifest = 'no-such-event/v1' WHERE sequence_number = 3");
        var before = Dump(file);

        await WithSystemAsync(journal, async system =>
        {
            var (runner, listener, watcher) = (CreateTestProbe(system, "runner"), CreateTestProbe(system, "listener"), CreateTestProbe(system, "watcher"));
            var supervisor = system.ActorOf(TunerActor.Supervised(TestRules.Request(), runner.Ref, listener.Ref, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), 0));
            watcher.Watch(supervisor);

            var abandoned = await listener.ExpectMsgAsync<StudyAbandoned>(Long);
            Assert.StartsWith("recovery of tuner/nadamw/mnist/study_0 failed at sequence number 3: ", abandoned.Reason, StringComparison.Ordinal);
            Assert.Contains("no-such-event", abandoned.Reason, StringComparison.Ordinal);

            // Given up for good: the supervisor stops instead of starting another incarnation that would fail the same way.
            await watcher.ExpectTerminatedAsync(supervisor, Long);
            await listener.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
            await runner.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        });

        Assert.Equal(before, Dump(file));
    }

    [Fact]
    public async Task Start_InvalidRequest_StopsTheActor()
    {
        var (runner, watcher) = (CreateTestProbe("runner"), CreateTestProbe("watcher"));

        var tuner = Sys.ActorOf(TunerActor.Props(TestRules.Request() with { Ruleset = Ruleset.SelfTuning }, runner.Ref));
        watcher.Watch(tuner);

        await watcher.ExpectTerminatedAsync(tuner);
        Assert.False(runner.HasMessages);
    }

    [Fact]
    public void Supervised_InvalidRequest_ThrowsToTheCallerInsteadOfARestartLoop()
    {
        var e = Assert.Throws<ArgumentException>(() => TunerActor.Supervised(
            TestRules.Request() with { Ruleset = Ruleset.SelfTuning }, CreateTestProbe().Ref, null, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), 0));

        Assert.Contains("self", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    private async Task WatchStopAsync(IActorRef actor)
    {
        var watcher = CreateTestProbe();
        watcher.Watch(actor);
        Sys.Stop(actor);
        await watcher.ExpectTerminatedAsync(actor);
    }

    private static void Send(TestProbe runner, IActorRef tuner, IEnumerable<IEvent> outcomes)
    {
        foreach (var e in outcomes)
        {
            runner.Send(tuner, e);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Stores), MemberType = typeof(TestDatabase))]
    public async Task AttemptOutcome_DeliveredTwiceAndFromASupersededAttempt_PersistedOnceAcknowledgedEveryTimeAndTheStaleOneRefused(TestStore store)
    {
        using var journal = TestDatabase.Create(store);
        await WithSystemAsync(journal, async system =>
        {
            var (runner, trainer, listener) = (CreateTestProbe(system, "runner"), CreateTestProbe(system, "trainer"), CreateTestProbe(system, "listener"));
            var tuner = system.ActorOf(TunerActor.Props(TestRules.Request(), runner.Ref, listener.Ref));
            await runner.ReceiveNAsync(5, Long).ToListAsync();

            // Attempt 1 starts and records eval 0, which its trainer sends again (no acknowledgement reached it).
            tuner.Tell(new AttemptOutcome(1, 1, new TrialStarted(Id(1), 0, 0, 1), trainer.Ref));
            tuner.Tell(new AttemptOutcome(1, 2, Eval(1, 0, 10, 0.6), trainer.Ref));
            tuner.Tell(new AttemptOutcome(1, 2, Eval(1, 0, 10, 0.6), trainer.Ref));
            // Attempt 2 takes over; a late eval and end of attempt 1 are refused.
            tuner.Tell(new AttemptOutcome(2, 1, new TrialStarted(Id(1), 1, 100, 2), trainer.Ref));
            tuner.Tell(new AttemptOutcome(1, 3, Eval(1, 1, 20, 0.3), trainer.Ref));
            tuner.Tell(new AttemptOutcome(1, 4, new TrialFinished(Id(1), TrialEndReason.TargetsReached, 200, 20), trainer.Ref));

            var acks = await trainer.ReceiveNAsync(6, Long).Cast<AlgoPerf.Contracts.Delivery.ResultAck>().ToListAsync();
            // Each acknowledged once it is persisted or dropped (a persisted one after its write, so not in arrival order).
            Assert.Equal([(1, 1L), (1, 2L), (1, 2L), (1, 3L), (1, 4L), (2, 1L)], acks.Select(a => (a.Attempt, a.Seq)).Order());
            Assert.All(acks, a => Assert.Equal(Id(1), a.Trial));

            // The stale end was not taken for the trial's: the tuner asks for the trial again, as attempt 2 started.
            Assert.Equal((Id(1), 2), await runner.ExpectMsgAsync<RunTrial>(Long) is var again ? (again.Trial.Trial, again.LastAttempt) : default);
            Assert.Equal(new StudyStatus(TestRules.Study(), 5, 0, 9, null), await tuner.Ask<StudyStatus>(GetStudyStatus.Instance, Long));
        });
    }

    private static async Task WithSystemAsync(TestDatabase journal, Func<ActorSystem, Task> body)
    {
        var system = ActorSystem.Create("tuner", journal.Config());
        try
        {
            await body(system);
        }
        finally
        {
            await system.Terminate();
        }
    }

    /// <summary>The tuner's stream as stored: sequence number, manifest and the payload's JSON per event.</summary>
    private static async Task<List<string>> StreamAsync(TestDatabase journal)
    {
        var stream = new List<string>();
        await WithSystemAsync(journal, async system =>
        {
            var query = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
            var events = await query.CurrentEventsByPersistenceId(TunerActor.PersistenceIdOf(TestRules.Study()), 0, long.MaxValue)
                .RunWith(Sink.Seq<EventEnvelope>(), system.Materializer());
            var serializer = (Akka.Serialization.SerializerWithStringManifest)system.Serialization.FindSerializerFor(events[0].Event);
            stream.AddRange(events.Select(e => $"{e.SequenceNr} {serializer.Manifest(e.Event)} {System.Text.Encoding.UTF8.GetString(serializer.ToBinary(e.Event))}"));
        });
        return stream;
    }

    private static void Execute(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<string> Dump(string file)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT ordering, persistence_id, sequence_number, manifest, hex(message) FROM journal ORDER BY ordering";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add($"{reader.GetInt64(0)} {reader.GetString(1)} {reader.GetInt64(2)} {reader.GetString(3)} {reader.GetString(4)}");
        }

        return rows;
    }

    /// <summary>Fails the first write of a <typeparamref name="T"/> (an unknown outcome: the tuner stops).</summary>
    private sealed class FailOnce<T>() : ThrowOnce<T>(() => new TestJournalFailureException("injected write failure"));

    /// <summary>Rejects the first write of a <typeparamref name="T"/> (nothing stored; the tuner goes on).</summary>
    private sealed class RejectOnce<T>() : ThrowOnce<T>(() => new TestJournalRejectionException("injected rejection"));

    /// <summary>Throws the given exception from the first write of a <typeparamref name="T"/>, passes every other.</summary>
    private abstract class ThrowOnce<T>(Func<Exception> error) : IJournalInterceptor
    {
        private int _done;

        public Task InterceptAsync(IPersistentRepresentation message) =>
            message.Payload is T && Interlocked.Exchange(ref _done, 1) == 0 ? throw error() : Task.CompletedTask;
    }
}
