using Akka;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Streams.Dsl;
using Akka.TestKit;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Scorer.Actors;
using AlgoPerf.Scorer.Input;
using AlgoPerf.Scorer.Live;
using AlgoPerf.Scorer.Model;
using AlgoPerf.Tests.Shared;

namespace AlgoPerf.Scorer.Tests.Actors;

/// <summary>
/// The live scorer over the real journal (SQLite and PostgreSQL run the same tests): events are persisted by writer
/// actors, read back through Akka.Persistence.Query, and the published scores are compared with the pure projection
/// of everything written.
/// </summary>
public sealed class ScorerActorTests : IAsyncLifetime
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(15);

    // One workload (wmt: bleu, maximised, target 30.8491), one study of one trial per submission.
    private static readonly LiveScoringSetup s_setup = new(
        "external_tuning", WorkloadTargets.FromRules(RulesVersions.V06), new ScoringOptions(["wmt"], []), 1, 1, ["a", "b"]);

    private readonly List<IEvent> _written = [];
    private readonly Dictionary<string, IActorRef> _writers = new(StringComparer.Ordinal);
    private TestDatabase _database = null!;
    private ActorSystem _sys = null!;
    private TestKitBase _kit = null!;

    public static TheoryData<TestStore> Stores => TestDatabase.Stores;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_sys is not null)
        {
            await _sys.Terminate();
        }

        _database?.Dispose();
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Start_StoredHistory_PublishesOnceAfterCatchingUpAndGetScoresAgrees(TestStore store)
    {
        Start(store);
        await AppendAsync("trial/a", Eval("a", 0, 10, 20), Eval("a", 1, 20, 31), Finished("a", 20));
        await AppendAsync("trial/b", Eval("b", 0, 15, 25));
        var subscriber = _kit.CreateTestProbe("subscriber");

        var scorer = StartScorer();
        subscriber.Send(scorer, new SubscribeScores(subscriber.Ref));

        var update = await subscriber.ExpectMsgAsync<ScoresChanged>(Long);
        Assert.Equal(Expected(), Scores(update));
        Assert.Equal(1.0, update.Scores["a"].Score);
        Assert.Equal((0.0, false), (update.Scores["b"].Score, update.Final));
        Assert.True(update.Scores["b"].BestCase > 0);
        Assert.Same(update, await scorer.Ask<ScoresChanged>(GetScores.Instance, Long));
        Assert.Equal(new ScorerStatus(4, 4, 4, true, 1, 0), await scorer.Ask<ScorerStatus>(GetScorerStatus.Instance, Long));
        await subscriber.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Start_EmptyJournal_PublishesTheEmptySnapshotOnceCaughtUp()
    {
        Start(TestStore.Sqlite);
        var subscriber = _kit.CreateTestProbe("subscriber");

        subscriber.Send(StartScorer(), new SubscribeScores(subscriber.Ref));

        var empty = await subscriber.ExpectMsgAsync<ScoresChanged>(Long);
        Assert.Equal(Expected(), Scores(empty));
        Assert.Equal((0.0, 0.0, false), (empty.Scores["a"].Score, empty.Scores["b"].Score, empty.Final));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Tail_EventsPersistedWhileItRuns_EachSeenOnceAndScoresChangeAsTrialsFinish(TestStore store)
    {
        Start(store);
        var subscriber = _kit.CreateTestProbe("subscriber");
        var scorer = StartScorer();
        subscriber.Send(scorer, new SubscribeScores(subscriber.Ref));
        Assert.Equal(Expected(), Scores(await subscriber.ExpectMsgAsync<ScoresChanged>(Long)));

        await AppendAsync("trial/a", Eval("a", 0, 10, 31));
        var afterHit = await subscriber.ExpectMsgAsync<ScoresChanged>(Long);
        Assert.Equal(Expected(), Scores(afterHit));
        Assert.Equal(1.0, afterHit.Scores["a"].Score);

        await AppendAsync("trial/b", Eval("b", 0, 5, 20));
        var afterMiss = await subscriber.ExpectMsgAsync<ScoresChanged>(Long);
        Assert.Equal(Expected(), Scores(afterMiss));
        Assert.True(afterMiss.Scores["b"].BestCase > 0);

        // b's only trial ends without a hit: its best case collapses to its worst, and with a's hit settled the
        // pool is final. a's end then changes the projection but no score, so nothing more is published.
        await AppendAsync("trial/b", Finished("b", 5));
        var final = await subscriber.ExpectMsgAsync<ScoresChanged>(Long);
        Assert.Equal(Expected(), Scores(final));
        Assert.Equal((new SubmissionScore(1, 1, 1), new SubmissionScore(0, 0, 0), true), (final.Scores["a"], final.Scores["b"], final.Final));
        // A new submission's eval after it is the barrier: the next update is the one it causes.
        await AppendAsync("trial/a", Finished("a", 10));
        await AppendAsync("trial/c", Eval("c", 0, 8, 20));

        var joined = await subscriber.ExpectMsgAsync<ScoresChanged>(Long);
        Assert.Equal(Expected(), Scores(joined));
        Assert.Equal(["a", "b", "c"], joined.Scores.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new ScorerStatus(5, 5, 5, true, 1, 0), await scorer.Ask<ScorerStatus>(GetScorerStatus.Instance, Long));
    }

    [Fact]
    public async Task Tail_RedeliveredEvent_ChangesNothingAndPublishesNothing()
    {
        Start(TestStore.Sqlite);
        await AppendAsync("trial/a", Eval("a", 0, 10, 31));
        var subscriber = _kit.CreateTestProbe("subscriber");
        var scorer = StartScorer();
        subscriber.Send(scorer, new SubscribeScores(subscriber.Ref));
        var before = await subscriber.ExpectMsgAsync<ScoresChanged>(Long);

        // The tuner's copy of the runner's eval (another stream), then an eval of b that does change the scores.
        await AppendAsync("tuner/a/wmt/study_0", Eval("a", 0, 10, 31));
        await AppendAsync("trial/b", Eval("b", 0, 12, 31));

        var next = await subscriber.ExpectMsgAsync<ScoresChanged>(Long);
        Assert.Equal(Expected(), Scores(next));
        Assert.NotEqual(Scores(before), Scores(next));
        Assert.Equal(new ScorerStatus(3, 3, 2, true, 1, 0), await scorer.Ask<ScorerStatus>(GetScorerStatus.Instance, Long));
        await subscriber.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Tail_QueryFailsMidRead_RestartsFromItsOffsetAndReadsEveryEventOnce()
    {
        Start(TestStore.Sqlite);
        await AppendAsync("trial/a", Eval("a", 0, 10, 20), Eval("a", 1, 20, 31));
        await AppendAsync("trial/b", Eval("b", 0, 15, 31), Finished("b", 15));
        var flaky = new FlakyEvents();
        var subscriber = _kit.CreateTestProbe("subscriber");

        var scorer = _sys.ActorOf(ScorerActor.Props(s_setup, system => flaky.Over(new ReadJournalEvents(system))));
        subscriber.Send(scorer, new SubscribeScores(subscriber.Ref));

        var update = await subscriber.ExpectMsgAsync<ScoresChanged>(Long);
        Assert.Equal(Expected(), Scores(update));
        // Restarted once, from the offset it had applied: 0 to 2, since a stream's failure may overtake the events
        // still buffered before the actor (those are read again); every event is applied once all the same.
        Assert.Equal(2, flaky.CurrentReadsFrom.Count);
        Assert.Equal(0L, flaky.CurrentReadsFrom[0]);
        Assert.InRange(flaky.CurrentReadsFrom[1], 0L, 2L);
        Assert.Equal(new ScorerStatus(4, 4, 4, true, 1, 1), await scorer.Ask<ScorerStatus>(GetScorerStatus.Instance, Long));
    }

    [Fact]
    public async Task Unsubscribe_AndStoppedSubscriber_GetNoMoreUpdates()
    {
        Start(TestStore.Sqlite);
        var (leaving, stopping, staying) = (_kit.CreateTestProbe("leaving"), _kit.CreateTestProbe("stopping"), _kit.CreateTestProbe("staying"));
        var stoppingActor = _sys.ActorOf(Props.Create(() => new Forwarder(stopping.Ref)));
        var scorer = StartScorer();
        foreach (var s in new[] { leaving.Ref, stoppingActor, staying.Ref })
        {
            scorer.Tell(new SubscribeScores(s), ActorRefs.NoSender);
        }

        await Task.WhenAll(leaving.ExpectMsgAsync<ScoresChanged>(Long).AsTask(), stopping.ExpectMsgAsync<ScoresChanged>(Long).AsTask(), staying.ExpectMsgAsync<ScoresChanged>(Long).AsTask());
        leaving.Send(scorer, new UnsubscribeScores(leaving.Ref));
        var watcher = _kit.CreateTestProbe("watcher");
        watcher.Watch(stoppingActor);
        _sys.Stop(stoppingActor);
        await watcher.ExpectTerminatedAsync(stoppingActor);
        await _kit.AwaitAssertAsync(async () => Assert.Equal(1, (await scorer.Ask<ScorerStatus>(GetScorerStatus.Instance, Long)).Subscribers), Long);

        await AppendAsync("trial/a", Eval("a", 0, 10, 31));

        Assert.Equal(Expected(), Scores(await staying.ExpectMsgAsync<ScoresChanged>(Long)));
        await leaving.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
        Assert.False(stopping.HasMessages);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task RebuildScores_AfterUpdates_ReadsEverythingAgainAndRepublishesNothing(TestStore store)
    {
        Start(store);
        await AppendAsync("trial/a", Eval("a", 0, 10, 31), Finished("a", 10));
        var subscriber = _kit.CreateTestProbe("subscriber");
        var scorer = StartScorer();
        subscriber.Send(scorer, new SubscribeScores(subscriber.Ref));
        var first = await subscriber.ExpectMsgAsync<ScoresChanged>(Long);

        scorer.Tell(RebuildScores.Instance, ActorRefs.NoSender);

        Assert.Same(first, await scorer.Ask<ScoresChanged>(GetScores.Instance, Long));
        Assert.Equal(new ScorerStatus(2, 2, 2, true, 1, 0), await scorer.Ask<ScorerStatus>(GetScorerStatus.Instance, Long));
        await AppendAsync("trial/b", Eval("b", 0, 10, 31));
        Assert.Equal(Expected(), Scores(await subscriber.ExpectMsgAsync<ScoresChanged>(Long)));
    }

    private static TrialId Trial(string sub) => new(sub, "wmt", 0, 1);

    private static EvalRecorded Eval(string sub, int index, double time, double bleu) =>
        new(Trial(sub), index, index * 100, time, 0, new Dictionary<string, double> { ["validation/bleu"] = bleu });

    private static TrialFinished Finished(string sub, double time) => new(Trial(sub), TrialEndReason.BudgetExhausted, 1000, time);

    private static List<KeyValuePair<string, SubmissionScore>> Scores(ScoresChanged s) => [.. s.Scores.OrderBy(kv => kv.Key, StringComparer.Ordinal)];

    /// <summary>What the pure projection gives for everything written so far.</summary>
    private List<KeyValuePair<string, SubmissionScore>> Expected() => Scores(ScoreProjection.Replay(s_setup, _written).Snapshot());

    private void Start(TestStore store)
    {
        _database = TestDatabase.Create(store);
        _sys = ActorSystem.Create("scorer", _database.Config("algoperf.serialization.event-assemblies = []"));
        _kit = new Akka.TestKit.Xunit2.TestKit(_sys);
    }

    private IActorRef StartScorer() => _sys.ActorOf(ScorerActor.Props(s_setup));

    /// <summary>Persists <paramref name="events"/> atomically to <paramref name="stream"/> and waits for the journal's acknowledgement.</summary>
    private async Task AppendAsync(string stream, params IEvent[] events)
    {
        if (!_writers.TryGetValue(stream, out var writer))
        {
            writer = _writers[stream] = _sys.ActorOf(Props.Create(() => new Writer(stream)));
        }

        await writer.Ask<Done>(events, Long);
        _written.AddRange(events);
    }

    /// <summary>A stream's writer: PersistAll of what it is sent, answered with Done once durable.</summary>
    private sealed class Writer : ReceivePersistentActor
    {
        public Writer(string persistenceId)
        {
            PersistenceId = persistenceId;
            Recover<IEvent>(_ => { });
            Command<IEvent[]>(events =>
            {
                var sender = Sender;
                PersistAll(events, _ => { });
                DeferAsync(events, _ => sender.Tell(Done.Instance));
            });
        }

        public override string PersistenceId { get; }
    }

    /// <summary>Forwards everything to a probe (a subscriber that can be stopped).</summary>
    private sealed class Forwarder(IActorRef target) : UntypedActor
    {
        protected override void OnReceive(object message) => target.Tell(message, Sender);
    }

    /// <summary>
    /// The first current read fails after two events; the second re-delivers the last event it was asked to skip
    /// (an overlapping read), then goes on. Records where each current read started.
    /// </summary>
    private sealed class FlakyEvents
    {
        public List<long> CurrentReadsFrom { get; } = [];

        public IJournalEvents Over(IJournalEvents inner) => new Reads(this, inner);

        private sealed class Reads(FlakyEvents owner, IJournalEvents inner) : IJournalEvents
        {
            public Source<EventEnvelope, NotUsed> Current(long afterOffset)
            {
                int call;
                lock (owner.CurrentReadsFrom)
                {
                    owner.CurrentReadsFrom.Add(afterOffset);
                    call = owner.CurrentReadsFrom.Count;
                }

                return call switch
                {
                    1 => inner.Current(afterOffset).Take(2).Concat(Source.Failed<EventEnvelope>(new IOException("database connection lost"))),
                    2 => inner.Current(Math.Max(0, afterOffset - 1)),
                    _ => inner.Current(afterOffset),
                };
            }

            public Source<EventEnvelope, NotUsed> Live(long afterOffset) => inner.Live(afterOffset);
        }
    }
}
