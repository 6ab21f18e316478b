using System.Runtime.CompilerServices;
using AlgoPerf.Actors;
using AlgoPerf.Actors.Persistence.Journal;
using AlgoPerf.Actors.Persistence.Journal.Query;
using AlgoPerf.Actors.Persistence.Journal.Sqlite;
using AlgoPerf.Actors.TestKit;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Scorer.Actors;
using AlgoPerf.Scorer.Input;
using AlgoPerf.Scorer.Live;
using AlgoPerf.Scorer.Model;

namespace AlgoPerf.Scorer.Tests.Actors;

/// <summary>The live scorer over a SQLite journal file, written by a second store on the same file (another writer).</summary>
public sealed class ScorerActorTests : IAsyncLifetime
{
    private static readonly TimeSpan s_ask = TimeSpan.FromSeconds(10);

    // One workload (wmt: bleu, maximised, target 30.8491), one study of one trial per submission.
    private static readonly LiveScoringSetup s_setup = new(
        "external_tuning", WorkloadTargets.FromRules(RulesVersions.V06), new ScoringOptions(["wmt"], []), 1, 1, ["a", "b"]);

    private readonly ActorSystem _sys = ActorSystem.Create(nameof(ScorerActorTests));
    private readonly string _dir = Directory.CreateTempSubdirectory("algoperf-scorer-").FullName;
    private readonly Dictionary<string, long> _sequence = [];
    private readonly List<IEvent> _written = [];
    private PersistenceStore _reader = null!;
    private PersistenceStore _writer = null!;

    public async Task InitializeAsync()
    {
        var file = Path.Combine(_dir, "journal.db");
        var fastPolling = new QueryOptions(TimeSpan.FromMilliseconds(5), 2, 1000);
        _reader = await PersistenceStore.OpenSqliteAsync(new SqliteStoreOptions(file), queryOptions: fastPolling);
        _writer = await PersistenceStore.OpenSqliteAsync(new SqliteStoreOptions(file), queryOptions: fastPolling);
    }

    public async Task DisposeAsync()
    {
        await _sys.Terminate().WaitAsync(TestKitSettings.Current.Dilated(TimeSpan.FromSeconds(10)));
        await _writer.DisposeAsync();
        await _reader.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static TrialId Trial(string sub) => new(sub, "wmt", 0, 1);

    private static EvalRecorded Eval(string sub, int index, double time, double bleu) =>
        new(Trial(sub), index, index * 100, time, 0, new Dictionary<string, double> { ["validation/bleu"] = bleu });

    private static TrialFinished Finished(string sub, double time) => new(Trial(sub), TrialEndReason.BudgetExhausted, 1000, time);

    /// <summary>Appends <paramref name="events"/> to <paramref name="stream"/> through the other store.</summary>
    private async Task AppendAsync(string stream, params IEvent[] events)
    {
        var next = _sequence.GetValueOrDefault(stream);
        await _writer.Journal.WriteAsync(new AtomicWrite(stream, 1, events.Select((e, i) => new PendingEvent(next + 1 + i, e)).ToList()));
        _sequence[stream] = next + events.Length;
        _written.AddRange(events);
    }

    /// <summary>What the pure projection gives for everything written so far.</summary>
    private List<KeyValuePair<string, SubmissionScore>> Expected() => Scores(ScoreProjection.Replay(s_setup, _written).Snapshot());

    private static List<KeyValuePair<string, SubmissionScore>> Scores(ScoresChanged s) => [.. s.Scores.OrderBy(kv => kv.Key, StringComparer.Ordinal)];

    private IActorRef StartScorer(IEventQueries? queries = null) => _sys.ActorOf(ScorerActor.Props(queries ?? _reader.Queries, s_setup));

    [Fact]
    public async Task Start_StoredHistory_PublishesOnceAfterCatchingUpAndGetScoresAgrees()
    {
        await AppendAsync("trial/a", Eval("a", 0, 10, 20), Eval("a", 1, 20, 31), Finished("a", 20));
        await AppendAsync("trial/b", Eval("b", 0, 15, 25));
        var subscriber = new TestProbe(_sys, "subscriber");

        var scorer = StartScorer();
        subscriber.Send(scorer, new SubscribeScores(subscriber.Ref));

        var update = await subscriber.ExpectMsgAsync<ScoresChanged>();
        Assert.Equal(Expected(), Scores(update));
        Assert.Equal(1.0, update.Scores["a"].Score);
        Assert.Equal((0.0, false), (update.Scores["b"].Score, update.Final));
        Assert.True(update.Scores["b"].BestCase > 0);
        Assert.Same(update, await scorer.Ask<ScoresChanged>(GetScores.Instance, s_ask));
        Assert.Equal(new ScorerStatus(4, 4, 4, true, 1, 0), await scorer.Ask<ScorerStatus>(GetScorerStatus.Instance, s_ask));
        await subscriber.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Tail_AnotherWriterAppends_EachEventSeenOnceAndScoresChangeAsTrialsFinish()
    {
        var subscriber = new TestProbe(_sys, "subscriber");
        var scorer = StartScorer();
        subscriber.Send(scorer, new SubscribeScores(subscriber.Ref));
        var empty = await subscriber.ExpectMsgAsync<ScoresChanged>();
        Assert.Equal(Expected(), Scores(empty));
        Assert.Equal((0.0, 0.0, false), (empty.Scores["a"].Score, empty.Scores["b"].Score, empty.Final));

        await AppendAsync("trial/a", Eval("a", 0, 10, 31));
        var afterHit = await subscriber.ExpectMsgAsync<ScoresChanged>();
        Assert.Equal(Expected(), Scores(afterHit));
        Assert.Equal(1.0, afterHit.Scores["a"].Score);

        await AppendAsync("trial/b", Eval("b", 0, 5, 20));
        var afterMiss = await subscriber.ExpectMsgAsync<ScoresChanged>();
        Assert.Equal(Expected(), Scores(afterMiss));
        Assert.True(afterMiss.Scores["b"].BestCase > 0);

        // b's only trial ends without a hit: its best case collapses to its worst, and with a's hit settled the
        // pool is final. a's end then changes the projection but no score, so nothing more is published.
        await AppendAsync("trial/b", Finished("b", 5));
        var final = await subscriber.ExpectMsgAsync<ScoresChanged>();
        Assert.Equal(Expected(), Scores(final));
        Assert.Equal((new SubmissionScore(1, 1, 1), new SubmissionScore(0, 0, 0), true), (final.Scores["a"], final.Scores["b"], final.Final));
        // A new submission's eval after it is the barrier: the next update is the one it causes.
        await AppendAsync("trial/a", Finished("a", 10));
        await AppendAsync("trial/c", Eval("c", 0, 8, 20));

        var joined = await subscriber.ExpectMsgAsync<ScoresChanged>();
        Assert.Equal(Expected(), Scores(joined));
        Assert.Equal(["a", "b", "c"], joined.Scores.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new ScorerStatus(5, 5, 5, true, 1, 0), await scorer.Ask<ScorerStatus>(GetScorerStatus.Instance, s_ask));
    }

    [Fact]
    public async Task Tail_RedeliveredEvent_ChangesNothingAndPublishesNothing()
    {
        await AppendAsync("trial/a", Eval("a", 0, 10, 31));
        var subscriber = new TestProbe(_sys, "subscriber");
        var scorer = StartScorer();
        subscriber.Send(scorer, new SubscribeScores(subscriber.Ref));
        var before = await subscriber.ExpectMsgAsync<ScoresChanged>();

        // The tuner's copy of the runner's eval (another stream), then an eval of b that does change the scores.
        await AppendAsync("tuner/a/wmt/study_0", Eval("a", 0, 10, 31));
        await AppendAsync("trial/b", Eval("b", 0, 12, 31));

        var next = await subscriber.ExpectMsgAsync<ScoresChanged>();
        Assert.Equal(Expected(), Scores(next));
        Assert.NotEqual(Scores(before), Scores(next));
        Assert.Equal(new ScorerStatus(3, 3, 2, true, 1, 0), await scorer.Ask<ScorerStatus>(GetScorerStatus.Instance, s_ask));
        await subscriber.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Tail_QueryFailsMidRead_RestartsFromItsOffsetAndReadsEveryEventOnce()
    {
        await AppendAsync("trial/a", Eval("a", 0, 10, 20), Eval("a", 1, 20, 31));
        await AppendAsync("trial/b", Eval("b", 0, 15, 31), Finished("b", 15));
        var queries = new FlakyQueries(_reader.Queries);
        var subscriber = new TestProbe(_sys, "subscriber");

        var scorer = StartScorer(queries);
        subscriber.Send(scorer, new SubscribeScores(subscriber.Ref));

        var update = await subscriber.ExpectMsgAsync<ScoresChanged>();
        Assert.Equal(Expected(), Scores(update));
        Assert.Equal([0L, 2L], queries.CurrentReadsFrom);
        Assert.Equal(new ScorerStatus(4, 4, 4, true, 1, 1), await scorer.Ask<ScorerStatus>(GetScorerStatus.Instance, s_ask));
    }

    [Fact]
    public async Task Unsubscribe_AndStoppedSubscriber_GetNoMoreUpdates()
    {
        var (leaving, stopping, staying) = (new TestProbe(_sys, "leaving"), new TestProbe(_sys, "stopping"), new TestProbe(_sys, "staying"));
        var stoppingActor = _sys.ActorOf(Props.Create(() => new Forwarder(stopping.Ref)));
        var scorer = StartScorer();
        foreach (var s in new[] { leaving.Ref, stoppingActor, staying.Ref })
        {
            scorer.Tell(new SubscribeScores(s), null);
        }

        await Task.WhenAll(leaving.ExpectMsgAsync<ScoresChanged>(), stopping.ExpectMsgAsync<ScoresChanged>(), staying.ExpectMsgAsync<ScoresChanged>());
        leaving.Send(scorer, new UnsubscribeScores(leaving.Ref));
        var watcher = new TestProbe(_sys, "watcher");
        watcher.Watch(stoppingActor);
        _sys.Stop(stoppingActor);
        await watcher.ExpectTerminatedAsync(stoppingActor);
        // The scorer's own Terminated may still be on its way: ask until it is handled (each ask is a round trip).
        var status = await scorer.Ask<ScorerStatus>(GetScorerStatus.Instance, s_ask);
        for (var i = 0; i < 10_000 && status.Subscribers != 1; i++)
        {
            status = await scorer.Ask<ScorerStatus>(GetScorerStatus.Instance, s_ask);
        }

        Assert.Equal(1, status.Subscribers);

        await AppendAsync("trial/a", Eval("a", 0, 10, 31));

        Assert.Equal(Expected(), Scores(await staying.ExpectMsgAsync<ScoresChanged>()));
        await leaving.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        Assert.Equal(0, stopping.Pending);
    }

    [Fact]
    public async Task RebuildScores_AfterUpdates_ReadsEverythingAgainAndRepublishesNothing()
    {
        await AppendAsync("trial/a", Eval("a", 0, 10, 31), Finished("a", 10));
        var subscriber = new TestProbe(_sys, "subscriber");
        var scorer = StartScorer();
        subscriber.Send(scorer, new SubscribeScores(subscriber.Ref));
        var first = await subscriber.ExpectMsgAsync<ScoresChanged>();

        scorer.Tell(RebuildScores.Instance, null);

        Assert.Same(first, await scorer.Ask<ScoresChanged>(GetScores.Instance, s_ask));
        Assert.Equal(new ScorerStatus(2, 2, 2, true, 1, 0), await scorer.Ask<ScorerStatus>(GetScorerStatus.Instance, s_ask));
        await AppendAsync("trial/b", Eval("b", 0, 10, 31));
        Assert.Equal(Expected(), Scores(await subscriber.ExpectMsgAsync<ScoresChanged>()));
    }

    /// <summary>Forwards everything to a probe (a subscriber that can be stopped).</summary>
    private sealed class Forwarder(IActorRef target) : ActorBase
    {
        protected override void OnReceive(object message) => target.Tell(message, Sender);
    }

    /// <summary>
    /// The first current read fails after two events; the second re-delivers the last event it was asked to skip
    /// (an overlapping read), then goes on. Records where each current read started.
    /// </summary>
    private sealed class FlakyQueries(IEventQueries inner) : IEventQueries
    {
        public List<long> CurrentReadsFrom { get; } = [];

        public async IAsyncEnumerable<PersistentRepresentation> AllEventsAsync(long afterOrdering, QueryMode mode, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var call = 0;
            if (mode == QueryMode.Current)
            {
                lock (CurrentReadsFrom)
                {
                    CurrentReadsFrom.Add(afterOrdering);
                    call = CurrentReadsFrom.Count;
                }
            }

            var from = call == 2 ? afterOrdering - 1 : afterOrdering;
            var delivered = 0;
            await foreach (var e in inner.AllEventsAsync(from, mode, cancellationToken))
            {
                if (call == 1 && delivered == 2)
                {
                    throw new IOException("database connection lost");
                }

                delivered++;
                yield return e;
            }
        }

        public IAsyncEnumerable<PersistentRepresentation> EventsByTagAsync(string tag, long afterOrdering, QueryMode mode, CancellationToken cancellationToken = default) =>
            inner.EventsByTagAsync(tag, afterOrdering, mode, cancellationToken);

        public Task<long> ReadHighestOrderingAsync(CancellationToken cancellationToken = default) => inner.ReadHighestOrderingAsync(cancellationToken);
    }
}
