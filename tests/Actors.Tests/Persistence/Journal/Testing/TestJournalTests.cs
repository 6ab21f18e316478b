using AlgoPerf.Actors.Persistence.Journal;
using AlgoPerf.Actors.Persistence.Journal.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AlgoPerf.Actors.Tests.Persistence.Journal.Testing;

public sealed class TestJournalTests
{
    private readonly FakeTimeProvider _time = new();

    private static AtomicWrite Write(string pid, long seq, object payload) => new(pid, 0, [new PendingEvent(seq, payload)]);

    /// <summary>The sequence numbers a full replay of <paramref name="pid"/> yields.</summary>
    internal static async Task<List<long>> SeqsAsync(IJournal journal, string pid)
    {
        var list = new List<long>();
        await foreach (var e in journal.ReplayAsync(pid, 1, long.MaxValue, long.MaxValue))
        {
            list.Add(e.SequenceNr);
        }

        return list;
    }

    [Fact]
    public async Task Write_NoRules_PassesThrough()
    {
        var journal = new TestJournal(timeProvider: _time);
        await journal.WriteAsync(Write("p", 1, new Counted("a", 1)));
        Assert.Equal([1L], await SeqsAsync(journal.Inner, "p"));
    }

    [Fact]
    public async Task Write_FailOnType_ThrowsWriteFailedAndStoresNothing()
    {
        var journal = new TestJournal(timeProvider: _time);
        journal.Writes.FailOnType<CounterState>();

        await journal.WriteAsync(Write("p", 1, new Counted("a", 1)));
        var error = await Assert.ThrowsAsync<JournalWriteFailedException>(() => journal.WriteAsync(Write("p", 2, new CounterState(2))));

        Assert.Contains("'p' sequence number 2", error.Message, StringComparison.Ordinal);
        Assert.Equal([1L], await SeqsAsync(journal, "p"));
    }

    [Fact]
    public async Task Write_FailTimesOne_FailsOnceThenPasses()
    {
        var journal = new TestJournal(timeProvider: _time);
        journal.Writes.Fail(times: 1);

        await Assert.ThrowsAsync<JournalWriteFailedException>(() => journal.WriteAsync(Write("p", 1, new Counted("a", 1))));
        await journal.WriteAsync(Write("p", 1, new Counted("a", 1)));

        Assert.Equal([1L], await SeqsAsync(journal, "p"));
    }

    [Fact]
    public async Task Write_FailAfterStoring_ThrowsButEventIsStored()
    {
        var journal = new TestJournal(timeProvider: _time);
        journal.Writes.FailAfterStoring(times: 1);

        await Assert.ThrowsAsync<JournalWriteFailedException>(() => journal.WriteAsync(Write("p", 1, new Counted("a", 1))));

        Assert.Equal([1L], await SeqsAsync(journal, "p"));
    }

    [Fact]
    public async Task Write_RejectIf_ThrowsRejectedForMatchingOnly()
    {
        var journal = new TestJournal(timeProvider: _time);
        journal.Writes.Reject(e => e.Payload is Counted { Value: 13 });

        await Assert.ThrowsAsync<JournalRejectedException>(() => journal.WriteAsync(Write("p", 1, new Counted("a", 13))));
        await journal.WriteAsync(Write("p", 1, new Counted("a", 1)));

        Assert.Equal([1L], await SeqsAsync(journal, "p"));
    }

    [Fact]
    public async Task Write_Delay_CompletesOnlyAfterFakeTimeAdvances()
    {
        var journal = new TestJournal(timeProvider: _time);
        journal.Writes.Delay(TimeSpan.FromSeconds(5));

        var write = journal.WriteAsync(Write("p", 1, new Counted("a", 1)));
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(write.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        await write;

        Assert.Equal([1L], await SeqsAsync(journal, "p"));
    }

    [Fact]
    public async Task Replay_FailAtEvent_DeliversEarlierEventsThenThrows()
    {
        var journal = new TestJournal(timeProvider: _time);
        for (var i = 1; i <= 3; i++)
        {
            await journal.WriteAsync(Write("p", i, new Counted("a", i)));
        }

        journal.Replays.Fail(e => e.SequenceNr == 3);
        var seen = new List<long>();
        var error = await Assert.ThrowsAsync<IOException>(async () =>
        {
            await foreach (var e in journal.ReplayAsync("p", 1, long.MaxValue, long.MaxValue))
            {
                seen.Add(e.SequenceNr);
            }
        });

        Assert.Equal([1L, 2L], seen);
        Assert.Contains("sequence number 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_RejectOnType_ThrowsCorruptEvent()
    {
        var journal = new TestJournal(timeProvider: _time);
        await journal.WriteAsync(Write("p", 1, new Counted("a", 1)));
        journal.Replays.RejectOnType<Counted>();

        var error = await Assert.ThrowsAsync<JournalCorruptEventException>(async () => await journal.ReplayAsync("p", 1, long.MaxValue, long.MaxValue).ToListAsync());
        Assert.Equal(1, error.SequenceNr);
    }

    [Fact]
    public async Task Pass_AfterRules_ClearsThem()
    {
        var journal = new TestJournal(timeProvider: _time);
        journal.Writes.Fail();
        journal.Writes.Pass();
        await journal.WriteAsync(Write("p", 1, new Counted("a", 1)));
        Assert.Equal(1, await journal.ReadHighestSequenceNrAsync("p"));
    }

    [Fact]
    public async Task MemoryJournal_WithSerializer_RejectsUnregisteredAndFencesStaleEpochs()
    {
        var journal = new MemoryJournal(TestSerializers.Default, _time);

        await Assert.ThrowsAsync<JournalRejectedException>(() => journal.WriteAsync(Write("p", 1, new Unregistered(1))));
        await journal.WriteAsync(new AtomicWrite("p", 3, [new PendingEvent(1, new Counted("a", 1))]));
        await Assert.ThrowsAsync<JournalFencedException>(() => journal.WriteAsync(new AtomicWrite("p", 2, [new PendingEvent(2, new Counted("a", 2))])));
        await Assert.ThrowsAsync<JournalSequenceConflictException>(() => journal.WriteAsync(new AtomicWrite("p", 3, [new PendingEvent(1, new Counted("a", 1))])));
        await journal.DeleteMessagesToAsync("p", 10);

        Assert.Equal(1, await journal.ReadHighestSequenceNrAsync("p"));
        Assert.Empty(await SeqsAsync(journal, "p"));
    }
}
