using AlgoPerf.Actors.Pattern;
using AlgoPerf.Actors.Persistence.Journal;
using AlgoPerf.Actors.Persistence.Journal.Testing;
using AlgoPerf.Actors.Tests.Persistence.Journal.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AlgoPerf.Actors.Tests.Persistence.Journal;

/// <summary>What the breaker adds to a journal (the conformance suite shows it changes nothing else).</summary>
public sealed class CircuitBreakingJournalTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly TestJournal _inner;
    private readonly CircuitBreakingJournal _journal;

    public CircuitBreakingJournalTests()
    {
        _inner = new TestJournal(new MemoryJournal(timeProvider: _time), _time);
        _journal = new CircuitBreakingJournal(_inner, new CircuitBreakerSettings(2, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)), _time);
    }

    private Task<WriteResult> Write(string id, long seq) => _journal.WriteAsync(new AtomicWrite(id, 0, [new PendingEvent(seq, new Counted(id, (int)seq))]));

    private Task<List<long>> Replay(string id) => TestJournalTests.SeqsAsync(_journal, id);

    [Fact]
    public async Task Write_FailuresOfTheStore_OpenTheBreakerAndLaterWritesAreNotAttempted()
    {
        _inner.Writes.Fail(times: 2);
        await Assert.ThrowsAsync<JournalWriteFailedException>(() => Write("p-1", 1));
        await Assert.ThrowsAsync<JournalWriteFailedException>(() => Write("p-1", 1));

        await Assert.ThrowsAsync<OpenCircuitException>(() => Write("p-1", 1));
        await Assert.ThrowsAsync<OpenCircuitException>(() => Replay("p-1"));
        await Assert.ThrowsAsync<OpenCircuitException>(() => _journal.ReadHighestSequenceNrAsync("p-1"));
        Assert.Equal(0, await _inner.Inner.ReadHighestSequenceNrAsync("p-1"));

        _time.Advance(TimeSpan.FromSeconds(30));
        await Write("p-1", 1);
        Assert.Equal(CircuitBreakerState.Closed, _journal.Breaker.State);
        Assert.Equal([1L], await Replay("p-1"));
    }

    [Fact]
    public async Task Answers_RejectionConflictFencingCorruptRecord_NeverOpenTheBreaker()
    {
        await Write("p-1", 1);
        _inner.Writes.Reject(times: 3);
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<JournalRejectedException>(() => Write("p-1", 2));
        }

        await Assert.ThrowsAsync<JournalSequenceConflictException>(() => Write("p-1", 1));
        await Assert.ThrowsAsync<JournalSequenceConflictException>(() => Write("p-1", 5));
        await _journal.WriteAsync(new AtomicWrite("p-2", 4, [new PendingEvent(1, new Counted("p-2", 1))]));
        await Assert.ThrowsAsync<JournalFencedException>(() => _journal.WriteAsync(new AtomicWrite("p-2", 3, [new PendingEvent(2, new Counted("p-2", 2))])));
        _inner.Replays.Reject(times: 2);
        await Assert.ThrowsAsync<JournalCorruptEventException>(() => Replay("p-1"));
        await Assert.ThrowsAsync<JournalCorruptEventException>(() => Replay("p-1"));

        Assert.Equal((CircuitBreakerState.Closed, 0), (_journal.Breaker.State, _journal.Breaker.FailureCount));
        Assert.Equal([1L], await Replay("p-1"));
    }

    [Fact]
    public async Task Replay_FailingMidStream_CountsAndAStoppedReplayCountsNothing()
    {
        await Write("p-1", 1);
        await Write("p-1", 2);
        _inner.Replays.Fail(e => e.SequenceNr == 2, times: 1);

        await Assert.ThrowsAsync<IOException>(() => Replay("p-1"));
        Assert.Equal(1, _journal.Breaker.FailureCount);
        await foreach (var e in _journal.ReplayAsync("p-1", 1, long.MaxValue, long.MaxValue))
        {
            break;
        }

        Assert.Equal(1, _journal.Breaker.FailureCount);
        Assert.Equal([1L, 2L], await Replay("p-1"));
        Assert.Equal(0, _journal.Breaker.FailureCount);
    }

    [Fact]
    public async Task Write_HangingPastCallTimeout_FailsWithTimeoutAndCounts()
    {
        _inner.Writes.Delay(TimeSpan.FromMinutes(1), times: 1);
        var write = Write("p-1", 1);

        _time.Advance(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<TimeoutException>(() => write);
        Assert.Equal(1, _journal.Breaker.FailureCount);
        Assert.Equal(0, await _inner.Inner.ReadHighestSequenceNrAsync("p-1"));
    }
}
