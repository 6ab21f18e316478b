using AlgoPerf.Actors.Pattern;
using AlgoPerf.Actors.Persistence.Journal;
using AlgoPerf.Actors.Persistence.Journal.Query;
using AlgoPerf.Contracts.Serialization;
using AlgoPerf.Actors.Persistence.Journal.Snapshots;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using Microsoft.Extensions.Time.Testing;

namespace AlgoPerf.Actors.Tests.Persistence.Journal;

/// <summary>
/// The journal contract every store must keep (Akka's JournalSpec TCK): bounds and limits of replay, deletes that
/// never lower the highest sequence number, duplicate sequence numbers as failures, fencing, atomic batches, corrupt
/// records, snapshots, queries and leases. Subclasses open one fresh database per test.
/// </summary>
public abstract partial class JournalConformanceTests : IAsyncLifetime
{
    private readonly List<PersistenceStore> _opened = [];

    /// <summary>The fake clock the default store runs on.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>The store of this test (serializer <see cref="TestSerializers.Default"/>, fake time).</summary>
    protected PersistenceStore Store { get; private set; } = null!;

    /// <summary>The journal of <see cref="Store"/> (behind its circuit breaker when <see cref="BehindCircuitBreakers"/>).</summary>
    protected IJournal Journal { get; private set; } = null!;

    /// <summary>The snapshot store of <see cref="Store"/> (behind its circuit breaker when <see cref="BehindCircuitBreakers"/>).</summary>
    protected ISnapshotStore Snapshots { get; private set; } = null!;

    /// <summary>Runs the suite through <see cref="CircuitBreakingJournal"/> and <see cref="CircuitBreakingSnapshotStore"/>:
    /// the decorators must keep every part of the contract (and no answer of a working store may count as a failure).</summary>
    protected virtual bool BehindCircuitBreakers => false;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await CreateDatabaseAsync();
        Store = await OpenAsync(TestSerializers.Default, Time, QueryOptions.Default);
        if (BehindCircuitBreakers)
        {
            // One failure would open these breakers: a contract answer counted as a failure fails the next test step.
            var breaker = new CircuitBreakerSettings(1, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5));
            Journal = new CircuitBreakingJournal(Store.Journal, breaker, Time);
            Snapshots = new CircuitBreakingSnapshotStore(Store.Snapshots, breaker, Time);
        }
        else
        {
            (Journal, Snapshots) = (Store.Journal, Store.Snapshots);
        }
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }

        await DropDatabaseAsync();
    }

    /// <summary>Creates this test's empty database.</summary>
    /// <returns>A task.</returns>
    protected abstract Task CreateDatabaseAsync();

    /// <summary>Removes this test's database.</summary>
    /// <returns>A task.</returns>
    protected abstract Task DropDatabaseAsync();

    /// <summary>Opens another store on this test's database.</summary>
    /// <param name="serializer">Its serializer.</param>
    /// <param name="timeProvider">Its clock.</param>
    /// <param name="queryOptions">Its query tuning.</param>
    /// <returns>The store.</returns>
    protected abstract Task<PersistenceStore> OpenStoreAsync(IEventSerializer serializer, TimeProvider timeProvider, QueryOptions queryOptions);

    /// <summary>Consumes one global ordering without storing an event (as a rolled-back transaction does).</summary>
    /// <returns>A task.</returns>
    protected abstract Task ConsumeOrderingAsync();

    /// <summary>Opens a store that is disposed with the test.</summary>
    /// <param name="serializer">Its serializer.</param>
    /// <param name="timeProvider">Its clock.</param>
    /// <param name="queryOptions">Its query tuning.</param>
    /// <returns>The store.</returns>
    protected async Task<PersistenceStore> OpenAsync(IEventSerializer serializer, TimeProvider timeProvider, QueryOptions queryOptions)
    {
        var store = await OpenStoreAsync(serializer, timeProvider, queryOptions);
        _opened.Add(store);
        return store;
    }

    /// <summary>Writes events <paramref name="from"/>..<paramref name="to"/> of <see cref="Counted"/> to a stream, one batch each.</summary>
    protected async Task WriteCountedAsync(string persistenceId, long from, long to, long epoch = 0, IJournal? journal = null, string[]? tags = null)
    {
        for (var seq = from; seq <= to; seq++)
        {
            await (journal ?? Journal).WriteAsync(new AtomicWrite(persistenceId, epoch, [new PendingEvent(seq, new Counted(persistenceId, (int)seq), tags ?? [])]));
        }
    }

    /// <summary>Replays into a list.</summary>
    protected async Task<List<PersistentRepresentation>> ReplayAsync(string persistenceId, long from = 1, long to = long.MaxValue, long max = long.MaxValue)
    {
        var list = new List<PersistentRepresentation>();
        await foreach (var e in Journal.ReplayAsync(persistenceId, from, to, max))
        {
            list.Add(e);
        }

        return list;
    }

    private static long[] Seqs(IEnumerable<PersistentRepresentation> events) => events.Select(e => e.SequenceNr).ToArray();

    [StoreFact]
    public async Task Replay_AllEvents_ReturnsEveryFieldInSequenceOrder()
    {
        await Journal.WriteAsync(new AtomicWrite("p-1", 7, [new PendingEvent(1, new Counted("a", 1), ["t1", "t2"]), new PendingEvent(2, new Counted("b", 2))]));

        var events = await ReplayAsync("p-1");

        Assert.Equal(new long[] { 1L, 2L }, Seqs(events));
        var first = events[0];
        Assert.Equal("p-1", first.PersistenceId);
        Assert.Equal(new Counted("a", 1), first.Payload);
        Assert.Equal(["t1", "t2"], first.Tags);
        Assert.Equal("test-counted", first.TypeTag);
        Assert.Equal(1, first.TypeVersion);
        Assert.Equal(7, first.WriterEpoch);
        Assert.Equal(Time.GetUtcNow(), first.Timestamp);
        Assert.Empty(events[1].Tags);
        Assert.True(events[1].Ordering > first.Ordering);
    }

    [StoreFact]
    public async Task Replay_LowerBound_StartsThere()
    {
        await WriteCountedAsync("p-1", 1, 5);
        Assert.Equal(new long[] { 3L, 4L, 5L }, Seqs(await ReplayAsync("p-1", from: 3)));
    }

    [StoreFact]
    public async Task Replay_UpperBound_StopsThere()
    {
        await WriteCountedAsync("p-1", 1, 5);
        Assert.Equal(new long[] { 1L, 2L, 3L }, Seqs(await ReplayAsync("p-1", to: 3)));
    }

    [StoreFact]
    public async Task Replay_BothBounds_ReturnsRange()
    {
        await WriteCountedAsync("p-1", 1, 5);
        Assert.Equal(new long[] { 2L, 3L, 4L }, Seqs(await ReplayAsync("p-1", from: 2, to: 4)));
    }

    [StoreFact]
    public async Task Replay_CountLimit_ReturnsAtMostMax()
    {
        await WriteCountedAsync("p-1", 1, 5);
        Assert.Equal(new long[] { 2L, 3L }, Seqs(await ReplayAsync("p-1", from: 2, max: 2)));
    }

    [StoreFact]
    public async Task Replay_MaxZeroOrEmptyRange_ReturnsNothing()
    {
        await WriteCountedAsync("p-1", 1, 3);
        Assert.Empty(await ReplayAsync("p-1", max: 0));
        Assert.Empty(await ReplayAsync("p-1", from: 3, to: 2));
        Assert.Empty(await ReplayAsync("p-1", from: 4));
    }

    [StoreFact]
    public async Task Replay_OtherStreams_AreNotMixedIn()
    {
        await WriteCountedAsync("p-1", 1, 2);
        await WriteCountedAsync("p-2", 1, 3);
        Assert.Equal(["p-1", "p-1"], (await ReplayAsync("p-1")).Select(e => e.PersistenceId));
        Assert.Empty(await ReplayAsync("p-3"));
    }

    [StoreFact]
    public async Task ReadHighestSequenceNr_UnknownStream_IsZero()
    {
        Assert.Equal(0, await Journal.ReadHighestSequenceNrAsync("nobody"));
    }

    [StoreFact]
    public async Task ReadHighestSequenceNr_AfterWrites_IsLastWritten()
    {
        await WriteCountedAsync("p-1", 1, 4);
        Assert.Equal(4, await Journal.ReadHighestSequenceNrAsync("p-1"));
    }

    [StoreFact]
    public async Task DeleteMessagesTo_Range_ReplaySkipsDeletedAndHighestStays()
    {
        await WriteCountedAsync("p-1", 1, 5);

        await Journal.DeleteMessagesToAsync("p-1", 3);

        Assert.Equal(new long[] { 4L, 5L }, Seqs(await ReplayAsync("p-1")));
        Assert.Equal(5, await Journal.ReadHighestSequenceNrAsync("p-1"));
    }

    [StoreFact]
    public async Task DeleteMessagesTo_All_NeverLowersHighestSequenceNr()
    {
        await WriteCountedAsync("p-1", 1, 3);

        await Journal.DeleteMessagesToAsync("p-1", long.MaxValue);

        Assert.Empty(await ReplayAsync("p-1"));
        Assert.Equal(3, await Journal.ReadHighestSequenceNrAsync("p-1"));
        await WriteCountedAsync("p-1", 4, 4);
        Assert.Equal(new long[] { 4L }, Seqs(await ReplayAsync("p-1")));
    }

    [StoreFact]
    public async Task Write_DuplicateSequenceNr_FailsWithConflictAndStoresNothing()
    {
        await WriteCountedAsync("p-1", 1, 2);

        var error = await Assert.ThrowsAsync<JournalSequenceConflictException>(
            () => Journal.WriteAsync(new AtomicWrite("p-1", 0, [new PendingEvent(2, new Counted("dup", 99))])));

        Assert.IsAssignableFrom<JournalWriteFailedException>(error);
        Assert.Contains("p-1", error.Message, StringComparison.Ordinal);
        Assert.Equal(new Counted("p-1", 2), (await ReplayAsync("p-1"))[1].Payload);
        Assert.Equal(2, await Journal.ReadHighestSequenceNrAsync("p-1"));
    }

    [StoreFact]
    public async Task Write_GapInSequenceNr_FailsWithConflict()
    {
        await WriteCountedAsync("p-1", 1, 1);
        var error = await Assert.ThrowsAsync<JournalSequenceConflictException>(() => WriteCountedAsync("p-1", 3, 3));
        Assert.Equal(2, error.ExpectedSequenceNr);
        Assert.Equal(3, error.ActualSequenceNr);
    }

    [StoreFact]
    public async Task Write_NonConsecutiveBatch_IsRejected()
    {
        var error = await Assert.ThrowsAsync<JournalRejectedException>(
            () => Journal.WriteAsync(new AtomicWrite("p-1", 0, [new PendingEvent(1, new Counted("a", 1)), new PendingEvent(3, new Counted("b", 3))])));
        Assert.Contains("consecutive", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await Journal.ReadHighestSequenceNrAsync("p-1"));
    }

    [StoreFact]
    public async Task Write_StaleEpoch_IsFencedAndStoresNothing()
    {
        await WriteCountedAsync("p-1", 1, 1, epoch: 2);

        var error = await Assert.ThrowsAsync<JournalFencedException>(() => WriteCountedAsync("p-1", 2, 2, epoch: 1));

        Assert.Equal(1, error.WriterEpoch);
        Assert.Equal(2, error.CurrentEpoch);
        Assert.IsAssignableFrom<JournalRejectedException>(error);
        Assert.Equal(1, await Journal.ReadHighestSequenceNrAsync("p-1"));
    }

    [StoreFact]
    public async Task Write_EqualOrHigherEpoch_IsAcceptedAndRaisesTheStreamEpoch()
    {
        await WriteCountedAsync("p-1", 1, 1, epoch: 1);
        await WriteCountedAsync("p-1", 2, 2, epoch: 1);
        await WriteCountedAsync("p-1", 3, 3, epoch: 5);

        await Assert.ThrowsAsync<JournalFencedException>(() => WriteCountedAsync("p-1", 4, 4, epoch: 4));

        Assert.Equal(new long[] { 1L, 1L, 5L }, (await ReplayAsync("p-1")).Select(e => e.WriterEpoch));
    }

    [StoreFact]
    public async Task Write_UnserializablePayloadInBatch_RejectsWholeBatchAndStreamContinues()
    {
        await WriteCountedAsync("p-1", 1, 1);

        var error = await Assert.ThrowsAsync<JournalRejectedException>(
            () => Journal.WriteAsync(new AtomicWrite("p-1", 0, [new PendingEvent(2, new Counted("ok", 2)), new PendingEvent(3, new Unregistered(3))])));

        Assert.Contains("sequence number 3", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, await Journal.ReadHighestSequenceNrAsync("p-1"));
        await WriteCountedAsync("p-1", 2, 2);
        Assert.Equal(new long[] { 1L, 2L }, Seqs(await ReplayAsync("p-1")));
    }

    [StoreFact]
    public async Task Write_Batch_ReturnsAscendingOrderingsMatchingReplay()
    {
        var result = await Journal.WriteAsync(new AtomicWrite("p-1", 0, [.. Enumerable.Range(1, 5).Select(i => new PendingEvent(i, new Counted("x", i)))]));

        Assert.Equal(5, result.Orderings.Count);
        Assert.True(result.Orderings.Zip(result.Orderings.Skip(1)).All(p => p.Item1 < p.Item2));
        Assert.Equal(result.Orderings, (await ReplayAsync("p-1")).Select(e => e.Ordering));
    }

    [StoreFact]
    public async Task Write_LargeTaggedBatchesAcrossStreams_OrderingsPayloadsAndTagsMatchReplay()
    {
        // 70 and 33 events: more than one multi-row statement on SQLite, with a remainder; interleaved with another stream.
        var first = await Journal.WriteAsync(new AtomicWrite("p-1", 0, [.. Enumerable.Range(1, 70).Select(i => new PendingEvent(i, new Counted("x", i), i % 3 == 0 ? ["three"] : []))]));
        var other = await Journal.WriteAsync(new AtomicWrite("p-2", 0, [new PendingEvent(1, new Counted("y", 1), ["three"])]));
        var second = await Journal.WriteAsync(new AtomicWrite("p-1", 0, [.. Enumerable.Range(71, 33).Select(i => new PendingEvent(i, new Counted("x", i), i % 3 == 0 ? ["three"] : []))]));

        var replayed = await ReplayAsync("p-1");
        Assert.Equal(Enumerable.Range(1, 103).Select(i => (long)i), Seqs(replayed));
        Assert.Equal(Enumerable.Range(1, 103).Select(i => new Counted("x", i)), replayed.Select(e => e.Payload));
        Assert.Equal(first.Orderings.Concat(second.Orderings), replayed.Select(e => e.Ordering));
        Assert.True(first.Orderings[^1] < other.Orderings[0] && other.Orderings[0] < second.Orderings[0], "orderings follow the commit order");
        var tagged = new List<PersistentRepresentation>();
        await foreach (var e in Store.Queries.EventsByTagAsync("three", 0, QueryMode.Current))
        {
            tagged.Add(e);
        }

        var expected = Enumerable.Range(1, 70).Where(i => i % 3 == 0).Select(i => ("p-1", (long)i))
            .Append(("p-2", 1L))
            .Concat(Enumerable.Range(71, 33).Where(i => i % 3 == 0).Select(i => ("p-1", (long)i)));
        Assert.Equal(expected, tagged.Select(e => (e.PersistenceId, e.SequenceNr)));
        Assert.All(tagged, e => Assert.Equal(new[] { "three" }, e.Tags));
    }

    [StoreFact]
    public async Task Write_ConcurrentStreams_AllStoredInOrderPerStream()
    {
        var writers = Enumerable.Range(0, 8).Select(w => WriteCountedAsync($"c-{w}", 1, 25)).ToArray();
        await Task.WhenAll(writers);

        for (var w = 0; w < 8; w++)
        {
            Assert.Equal(Enumerable.Range(1, 25).Select(i => (long)i), Seqs(await ReplayAsync($"c-{w}")));
        }
    }

    [StoreFact]
    public async Task Write_CancelledBeforeStart_ThrowsAndStoresNothing()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Journal.WriteAsync(new AtomicWrite("p-1", 0, [new PendingEvent(1, new Counted("a", 1))]), cts.Token));
        Assert.Equal(0, await Journal.ReadHighestSequenceNrAsync("p-1"));
    }

    [StoreFact]
    public async Task Replay_UnknownTag_NamesPersistenceIdSequenceNrAndTag()
    {
        await WriteCountedAsync("p-1", 1, 2);
        var reader = await OpenAsync(TestSerializers.ContractsOnly, Time, QueryOptions.Default);

        var error = await Assert.ThrowsAsync<JournalCorruptEventException>(async () => await reader.Journal.ReplayAsync("p-1", 1, long.MaxValue, long.MaxValue).ToListAsync());

        Assert.Equal("p-1", error.PersistenceId);
        Assert.Equal(1, error.SequenceNr);
        Assert.Equal("test-counted", error.TypeTag);
        Assert.Contains("'p-1' sequence number 1 (tag 'test-counted' version 1)", error.Message, StringComparison.Ordinal);
        Assert.Contains("unknown event tag", error.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Replay_LongStreamWithUnreadableEvent_DeliversEveryEarlierEventInOrderThenFails()
    {
        // Longer than one replay chunk, so rows are deserialized in parallel: order and the failure point must not change.
        static object Event(long seq) => seq == 1300 ? new Counted("unknown to the reader", 1300) : new TrialStarted(new TrialId("s", "w", 0, 1), (int)(seq % 1000), seq);
        for (long from = 1; from <= 1500; from += 250)
        {
            await Journal.WriteAsync(new AtomicWrite("p-1", 0, [.. Enumerable.Range(0, 250).Select(i => new PendingEvent(from + i, Event(from + i)))]));
        }

        var reader = await OpenAsync(TestSerializers.ContractsOnly, Time, QueryOptions.Default);
        var delivered = new List<PersistentRepresentation>();
        var error = await Assert.ThrowsAsync<JournalCorruptEventException>(async () =>
        {
            await foreach (var e in reader.Journal.ReplayAsync("p-1", 1, long.MaxValue, long.MaxValue))
            {
                delivered.Add(e);
            }
        });

        Assert.Equal(1300, error.SequenceNr);
        Assert.Equal(Enumerable.Range(1, 1299).Select(i => (long)i), Seqs(delivered));
        Assert.Equal(Enumerable.Range(1, 1299).Select(i => Event(i)), delivered.Select(e => e.Payload));
    }

    [StoreFact]
    public async Task Replay_BadJson_NamesPersistenceIdSequenceNrAndTag()
    {
        await WriteCountedAsync("p-1", 1, 1);
        var reader = await OpenAsync(TestSerializers.Incompatible, Time, QueryOptions.Default);

        var error = await Assert.ThrowsAsync<JournalCorruptEventException>(async () => await reader.Journal.ReplayAsync("p-1", 1, long.MaxValue, long.MaxValue).ToListAsync());

        Assert.Equal(1, error.SequenceNr);
        Assert.Contains("bad JSON for IncompatibleCounted", error.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Reopen_Store_KeepsEventsAndHighestSequenceNr()
    {
        await WriteCountedAsync("p-1", 1, 3);
        await Journal.DeleteMessagesToAsync("p-1", 3);
        var reopened = await OpenAsync(TestSerializers.Default, Time, QueryOptions.Default);

        Assert.Equal(3, await reopened.Journal.ReadHighestSequenceNrAsync("p-1"));
        await WriteCountedAsync("p-1", 4, 4, journal: reopened.Journal);
        Assert.Equal(new long[] { 4L }, Seqs(await ReplayAsync("p-1")));
    }
}
