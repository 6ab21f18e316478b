using AlgoPerf.Actors.Persistence.Journal;
using AlgoPerf.Actors.Persistence.Journal.Testing;

namespace AlgoPerf.Actors.Tests.Persistence.Journal.Testing;

public sealed class MemoryJournalTests
{
    [Fact]
    public async Task Replay_EveryBoundAndLimitAfterADelete_YieldsExactlyTheStoredRange()
    {
        var journal = new MemoryJournal();
        for (var seq = 1; seq <= 12; seq += 3)
        {
            // Batches of 3 (one atomic write each), so events of one write are found by the search too.
            await journal.WriteAsync(new AtomicWrite("p", 0, [.. Enumerable.Range(seq, 3).Select(s => new PendingEvent(s, new Counted("p", s)))]));
        }

        await journal.DeleteMessagesToAsync("p", 4);
        for (long from = 0; from <= 13; from++)
        {
            for (var to = from - 1; to <= 13; to++)
            {
                foreach (var max in new long[] { 0, 1, 2, 5, long.MaxValue })
                {
                    var expected = Enumerable.Range(5, 8).Select(s => (long)s).Where(s => s >= from && s <= to).Take((int)Math.Min(max, 100)).ToList();
                    var actual = new List<long>();
                    await foreach (var e in journal.ReplayAsync("p", from, to, max))
                    {
                        actual.Add(e.SequenceNr);
                    }

                    Assert.True(expected.SequenceEqual(actual), $"from {from} to {to} max {max}: [{string.Join(", ", actual)}]");
                }
            }
        }
    }
}
