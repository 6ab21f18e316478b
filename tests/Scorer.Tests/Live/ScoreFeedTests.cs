using System.Runtime.CompilerServices;
using AlgoPerf.Actors.Persistence.Journal;
using AlgoPerf.Actors.Persistence.Journal.Query;
using AlgoPerf.Actors.Persistence.Journal.Sqlite;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Contracts.Scoring;
using AlgoPerf.Scorer.Input;
using AlgoPerf.Scorer.Live;
using AlgoPerf.Scorer.Model;
using AlgoPerf.Scorer.Procedure;

namespace AlgoPerf.Scorer.Tests.Live;

public sealed class ScoreFeedTests
{
    private static readonly LiveScoringSetup s_setup = new(
        "external_tuning", WorkloadTargets.FromRules(RulesVersions.V06), new ScoringOptions(["wmt"], []), 1, 1, []);

    private static EvalRecorded Eval(string sub, int index, double time, double bleu) =>
        new(new TrialId(sub, "wmt", 0, 1), index, index, time, 0, new Dictionary<string, double> { ["validation/bleu"] = bleu });

    /// <summary>A current-mode query over a fixed list, with the stored orderings.</summary>
    private sealed class ListQueries(IReadOnlyList<object> payloads) : IEventQueries
    {
        public async IAsyncEnumerable<PersistentRepresentation> AllEventsAsync(long afterOrdering, QueryMode mode, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            for (var i = (int)afterOrdering; i < payloads.Count; i++)
            {
                yield return new PersistentRepresentation("s", i + 1, i + 1, [], "t", 1, payloads[i], 1, DateTimeOffset.UnixEpoch);
            }
        }

        public IAsyncEnumerable<PersistentRepresentation> EventsByTagAsync(string tag, long afterOrdering, QueryMode mode, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("the score feed reads all events");

        public Task<long> ReadHighestOrderingAsync(CancellationToken cancellationToken = default) => Task.FromResult((long)payloads.Count);
    }

    private static async Task<List<ScoresChanged>> Collect(IEventQueries queries)
    {
        var list = new List<ScoresChanged>();
        await foreach (var s in new ScoreFeed(queries, s_setup).RunAsync(QueryMode.Current))
        {
            list.Add(s);
        }

        return list;
    }

    [Fact]
    public async Task RunAsync_StoredHistory_OneUpdateAfterCatchingUp()
    {
        object[] events = [Eval("a", 0, 10, 31), Eval("b", 0, 5, 20), Eval("b", 1, 20, 25), new TrialFinished(new TrialId("a", "wmt", 0, 1), TrialEndReason.TargetsReached, 1, 10)];

        var updates = await Collect(new ListQueries(events));

        var only = Assert.Single(updates);
        Assert.Equal(1.0, only.Scores["a"].Score, 12);
        Assert.Equal(0.0, only.Scores["b"].Score);
        // b's best case: its next eval hits, no sooner than its latest 20 s.
        TrialRecord[] best = [new("external_tuning", "a", "wmt", "0", 1, 10, 0), new("external_tuning", "b", "wmt", "0", 1, 20, 2)];
        Assert.Equal(ScoringPipeline.Score("external_tuning", best, s_setup.Options).ScoreOf("b"), only.Scores["b"].BestCase);
        Assert.False(only.Final);
    }

    [Fact]
    public async Task RunAsync_EmptyJournal_InitialEmptySnapshot()
    {
        var updates = await Collect(new ListQueries([]));

        Assert.Empty(Assert.Single(updates).Scores);
    }

    [Fact]
    public void Differs_SameScores_Null()
    {
        var a = new ScoresChanged("r", new Dictionary<string, SubmissionScore> { ["x"] = new(0.5, 1, 0) }, false);
        var b = new ScoresChanged("r", new Dictionary<string, SubmissionScore> { ["x"] = new(0.5, 1, 0) }, false);

        Assert.Null(ScoreFeed.Differs(a, b));
        Assert.Same(b, ScoreFeed.Differs(null, b));
        Assert.NotNull(ScoreFeed.Differs(a, b with { Final = true }));
        Assert.NotNull(ScoreFeed.Differs(a, new ScoresChanged("r", new Dictionary<string, SubmissionScore> { ["x"] = new(0.5, 1, 0.1) }, false)));
    }

    [Fact]
    public async Task RunAsync_SqliteJournal_ScoresFromStoredEventsAndRedeliveryIgnored()
    {
        var dir = Directory.CreateTempSubdirectory("algoperf-feed-").FullName;
        try
        {
            await using (var store = await PersistenceStore.OpenSqliteAsync(
                new SqliteStoreOptions(Path.Combine(dir, "journal.db")), queryOptions: new QueryOptions(TimeSpan.FromMilliseconds(5), 2, 1000)))
            {
                var a = new TrialId("a", "wmt", 0, 1);
                var b = new TrialId("b", "wmt", 0, 1);
                await store.Journal.WriteAsync(new AtomicWrite(a.ToString(), 1, [new PendingEvent(1, Eval("a", 0, 10, 31)), new PendingEvent(2, new TrialFinished(a, TrialEndReason.TargetsReached, 1, 10))]));
                await store.Journal.WriteAsync(new AtomicWrite(b.ToString(), 1, [new PendingEvent(1, Eval("b", 0, 30, 31))]));
                // The same eval again in another stream (a redelivery through a retried write): no change.
                await store.Journal.WriteAsync(new AtomicWrite("replayed", 1, [new PendingEvent(1, Eval("b", 0, 30, 31)), new PendingEvent(2, new TrialFinished(b, TrialEndReason.TargetsReached, 1, 30))]));

                var updates = new List<ScoresChanged>();
                await foreach (var s in new ScoreFeed(store.Queries, s_setup).RunAsync(QueryMode.Current))
                {
                    updates.Add(s);
                }

                var final = Assert.Single(updates);
                Assert.True(final.Final);
                TrialRecord[] batch = [new("external_tuning", "a", "wmt", "0", 1, 10, 0), new("external_tuning", "b", "wmt", "0", 1, 30, 0)];
                var expected = ScoringPipeline.Score("external_tuning", batch, s_setup.Options);
                Assert.Equal(expected.ScoreOf("a"), final.Scores["a"].Score);
                Assert.Equal(expected.ScoreOf("b"), final.Scores["b"].Score);
                Assert.True(final.Scores["b"].Score is > 0 and < 1);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
