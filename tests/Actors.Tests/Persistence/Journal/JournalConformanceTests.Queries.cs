using AlgoPerf.Actors.Persistence.Journal;
using AlgoPerf.Actors.Persistence.Journal.Query;

namespace AlgoPerf.Actors.Tests.Persistence.Journal;

/// <summary>All-events and by-tag queries from an offset, current and live, with ordering gaps.</summary>
public abstract partial class JournalConformanceTests
{
    /// <summary>Real-time query tuning for the tests where polling and waiting out gaps is the point.</summary>
    private static readonly QueryOptions s_fastQueries = new(TimeSpan.FromMilliseconds(10), MaxGapTries: 3, BatchSize: 7);

    private static async Task<List<PersistentRepresentation>> CollectAsync(IAsyncEnumerable<PersistentRepresentation> query)
    {
        var list = new List<PersistentRepresentation>();
        await foreach (var e in query)
        {
            list.Add(e);
        }

        return list;
    }

    private static (string, long)[] Keys(IEnumerable<PersistentRepresentation> events) => [.. events.Select(e => (e.PersistenceId, e.SequenceNr))];

    [StoreFact]
    public async Task AllEvents_CurrentFromZero_ReturnsEveryEventInOrderingOrder()
    {
        await WriteCountedAsync("a", 1, 2);
        await WriteCountedAsync("b", 1, 1);
        await WriteCountedAsync("a", 3, 3);

        var events = await CollectAsync(Store.Queries.AllEventsAsync(0, QueryMode.Current));

        Assert.Equal([("a", 1L), ("a", 2L), ("b", 1L), ("a", 3L)], Keys(events));
        Assert.Equal(await Store.Queries.ReadHighestOrderingAsync(), events[^1].Ordering);
    }

    [StoreFact]
    public async Task AllEvents_FromOffset_ReturnsOnlyLaterEvents()
    {
        await WriteCountedAsync("a", 1, 3);
        var all = await CollectAsync(Store.Queries.AllEventsAsync(0, QueryMode.Current));

        var later = await CollectAsync(Store.Queries.AllEventsAsync(all[0].Ordering, QueryMode.Current));

        Assert.Equal([("a", 2L), ("a", 3L)], Keys(later));
    }

    [StoreFact]
    public async Task AllEvents_DeletedEvents_AreNotDelivered()
    {
        await WriteCountedAsync("a", 1, 3);
        await WriteCountedAsync("b", 1, 1);
        await Journal.DeleteMessagesToAsync("a", 2);

        Assert.Equal([("a", 3L), ("b", 1L)], Keys(await CollectAsync(Store.Queries.AllEventsAsync(0, QueryMode.Current))));
    }

    [StoreFact]
    public async Task EventsByTag_Current_ReturnsTaggedEventsFromOffset()
    {
        await WriteCountedAsync("a", 1, 2, tags: ["red"]);
        await WriteCountedAsync("b", 1, 1, tags: ["blue"]);
        await WriteCountedAsync("a", 3, 3, tags: ["red", "blue"]);

        var red = await CollectAsync(Store.Queries.EventsByTagAsync("red", 0, QueryMode.Current));
        var blue = await CollectAsync(Store.Queries.EventsByTagAsync("blue", 0, QueryMode.Current));
        var redAfterFirst = await CollectAsync(Store.Queries.EventsByTagAsync("red", red[0].Ordering, QueryMode.Current));

        Assert.Equal([("a", 1L), ("a", 2L), ("a", 3L)], Keys(red));
        Assert.Equal([("b", 1L), ("a", 3L)], Keys(blue));
        Assert.Equal([("a", 2L), ("a", 3L)], Keys(redAfterFirst));
        Assert.Empty(await CollectAsync(Store.Queries.EventsByTagAsync("green", 0, QueryMode.Current)));
    }

    [StoreFact]
    public async Task AllEvents_PermanentGap_IsSkippedAfterBoundedWait()
    {
        var store = await OpenAsync(TestSerializers.Default, TimeProvider.System, s_fastQueries);
        await WriteCountedAsync("a", 1, 1, journal: store.Journal);
        await ConsumeOrderingAsync();
        await WriteCountedAsync("a", 2, 2, journal: store.Journal);

        var events = await CollectAsync(store.Queries.AllEventsAsync(0, QueryMode.Current));

        Assert.Equal([("a", 1L), ("a", 2L)], Keys(events));
        Assert.Equal(events[0].Ordering + 2, events[1].Ordering);
    }

    [StoreFact]
    public async Task AllEventsLive_ConcurrentWriters_DeliversEveryEventExactlyOnceInOrder()
    {
        const int Writers = 4;
        const int PerWriter = 60;
        var writerStores = new[]
        {
            await OpenAsync(TestSerializers.Default, TimeProvider.System, s_fastQueries),
            await OpenAsync(TestSerializers.Default, TimeProvider.System, s_fastQueries),
        };
        var reader = await OpenAsync(TestSerializers.Default, TimeProvider.System, s_fastQueries);
        await WriteCountedAsync("before", 1, 3, journal: writerStores[0].Journal, tags: ["even"]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // One more than written concurrently: a sentinel appended after all writers finished must come next, so a
        // duplicate or a missed event shows as a wrong count before it.
        var all = TailAsync(reader.Queries.AllEventsAsync(0, QueryMode.Live, timeout.Token), 3 + (Writers * PerWriter) + 1);
        var even = TailAsync(reader.Queries.EventsByTagAsync("even", 0, QueryMode.Live, timeout.Token), 3 + (Writers * PerWriter / 2) + 1);

        var writes = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var journal = writerStores[w % writerStores.Length].Journal;
            var seq = 1L;
            while (seq <= PerWriter)
            {
                var size = (int)Math.Min(1 + (seq % 3), PerWriter - seq + 1);
                var batch = Enumerable.Range(0, size).Select(i => new PendingEvent(seq + i, new Counted($"w{w}", (int)(seq + i)), (seq + i) % 2 == 0 ? ["even"] : [])).ToArray();
                await journal.WriteAsync(new AtomicWrite($"w-{w}", 0, batch));
                seq += size;
            }
        }));
        await Task.WhenAll(writes);
        await WriteCountedAsync("sentinel", 1, 1, journal: writerStores[1].Journal, tags: ["even"]);
        var allEvents = await all;
        var evenEvents = await even;

        Assert.Equal(("sentinel", 1L), (allEvents[^1].PersistenceId, allEvents[^1].SequenceNr));
        Assert.Equal(("sentinel", 1L), (evenEvents[^1].PersistenceId, evenEvents[^1].SequenceNr));
        Assert.Equal(3 + (Writers * PerWriter) + 1, allEvents.Select(e => (e.PersistenceId, e.SequenceNr)).Distinct().Count());
        Assert.True(allEvents.Zip(allEvents.Skip(1)).All(p => p.Item1.Ordering < p.Item2.Ordering), "orderings must ascend");
        Assert.All(evenEvents, e => Assert.Contains("even", e.Tags));
        Assert.Equal(3 + (Writers * PerWriter / 2) + 1, evenEvents.Select(e => (e.PersistenceId, e.SequenceNr)).Distinct().Count());
        for (var w = 0; w < Writers; w++)
        {
            Assert.Equal(Enumerable.Range(1, PerWriter).Select(i => (long)i), allEvents.Where(e => e.PersistenceId == $"w-{w}").Select(e => e.SequenceNr));
        }
    }

    [StoreFact]
    public async Task AllEventsLive_FromOffset_DeliversOnlyNewEventsThenEndsOnCancel()
    {
        var store = await OpenAsync(TestSerializers.Default, TimeProvider.System, s_fastQueries);
        await WriteCountedAsync("a", 1, 2, journal: store.Journal);
        var offset = await store.Queries.ReadHighestOrderingAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var tail = TailAsync(store.Queries.AllEventsAsync(offset, QueryMode.Live, cts.Token), 2);

        await WriteCountedAsync("a", 3, 4, journal: store.Journal);

        Assert.Equal([("a", 3L), ("a", 4L)], Keys(await tail));
    }

    /// <summary>Reads a live query until <paramref name="count"/> events arrived; fails (naming the count) on timeout.</summary>
    private static async Task<List<PersistentRepresentation>> TailAsync(IAsyncEnumerable<PersistentRepresentation> query, int count)
    {
        var list = new List<PersistentRepresentation>();
        try
        {
            await foreach (var e in query)
            {
                list.Add(e);
                if (list.Count == count)
                {
                    return list;
                }
            }
        }
        catch (OperationCanceledException ex)
        {
            throw new TimeoutException($"live query delivered {list.Count} of {count} events before the timeout", ex);
        }

        throw new InvalidOperationException($"live query ended after {list.Count} of {count} events");
    }
}
