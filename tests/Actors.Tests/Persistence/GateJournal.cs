using AlgoPerf.Actors.Persistence.Journal;

namespace AlgoPerf.Actors.Tests.Persistence;

/// <summary>
/// A journal whose highest-sequence-number reads (the first journal call of a recovery) wait at a gate until
/// <see cref="Open"/>, counting how many are inside at once: a barrier for the recovery-throttle test.
/// </summary>
internal sealed class GateJournal(IJournal inner) : IJournal
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _entered = new(0);
    private int _inside;
    private int _maxInside;
    private int _enteredTotal;

    public int Inside => Volatile.Read(ref _inside);

    public int MaxInside => Volatile.Read(ref _maxInside);

    public int Entered => Volatile.Read(ref _enteredTotal);

    public void Open() => _open.TrySetResult();

    public async Task WaitEnteredAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(await _entered.WaitAsync(AlgoPerf.Actors.TestKit.TestKitSettings.Current.Dilated(TimeSpan.FromSeconds(5))), $"only {i} recoveries reached the journal");
        }
    }

    public async Task<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default)
    {
        var inside = Interlocked.Increment(ref _inside);
        Interlocked.Increment(ref _enteredTotal);
        int max;
        while (inside > (max = Volatile.Read(ref _maxInside)) && Interlocked.CompareExchange(ref _maxInside, inside, max) != max)
        {
        }

        _entered.Release();
        try
        {
            await _open.Task.WaitAsync(cancellationToken);
            return await inner.ReadHighestSequenceNrAsync(persistenceId, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inside);
        }
    }

    public Task<WriteResult> WriteAsync(AtomicWrite write, CancellationToken cancellationToken = default) => inner.WriteAsync(write, cancellationToken);

    public IAsyncEnumerable<PersistentRepresentation> ReplayAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, CancellationToken cancellationToken = default) =>
        inner.ReplayAsync(persistenceId, fromSequenceNr, toSequenceNr, max, cancellationToken);

    public Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default) =>
        inner.DeleteMessagesToAsync(persistenceId, toSequenceNr, cancellationToken);
}
