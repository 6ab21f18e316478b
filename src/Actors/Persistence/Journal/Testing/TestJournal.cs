using System.Runtime.CompilerServices;

namespace AlgoPerf.Actors.Persistence.Journal.Testing;

/// <summary>
/// A fault-injecting journal for tests (Akka.Persistence.TestKit's <c>TestJournal</c>): wraps a real or in-memory
/// journal and, per <see cref="Writes"/> and <see cref="Replays"/> rules, fails, rejects or delays operations, for every
/// operation, by predicate or by payload type. Use it to test a persistent actor's failure (stop + backoff restart)
/// versus rejection (continue) paths and its recovery under a slow or failing journal.
/// </summary>
/// <example>
/// <code>
/// var journal = new TestJournal();
/// journal.Writes.FailOnType&lt;TrialStarted&gt;(times: 1);   // the next write of a TrialStarted fails (outcome unknown)
/// journal.Replays.Delay(TimeSpan.FromSeconds(5));          // recovery is slow (advance the fake clock)
/// </code>
/// </example>
public sealed class TestJournal : IJournal
{
    private readonly IJournal _inner;

    /// <summary>Wraps <paramref name="inner"/> (a new <see cref="MemoryJournal"/> when null).</summary>
    /// <param name="inner">The journal that stores.</param>
    /// <param name="timeProvider">Clock for injected delays; null for the system clock.</param>
    public TestJournal(IJournal? inner = null, TimeProvider? timeProvider = null)
    {
        var time = timeProvider ?? TimeProvider.System;
        _inner = inner ?? new MemoryJournal(timeProvider: time);
        Writes = new JournalInterceptor(time, isWrite: true);
        Replays = new JournalInterceptor(time, isWrite: false);
    }

    /// <summary>Rules for <see cref="WriteAsync"/> and <see cref="DeleteMessagesToAsync"/>.</summary>
    public JournalInterceptor Writes { get; }

    /// <summary>Rules for <see cref="ReplayAsync"/> (checked per replayed event) and <see cref="ReadHighestSequenceNrAsync"/>
    /// (only rules without a predicate apply to it).</summary>
    public JournalInterceptor Replays { get; }

    /// <summary>The wrapped journal (to inspect what was really stored).</summary>
    public IJournal Inner => _inner;

    /// <inheritdoc />
    public async Task<WriteResult> WriteAsync(AtomicWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var events = write.Events.Select(e => new InterceptedEvent(write.PersistenceId, e.SequenceNr, e.Payload)).ToArray();
        var after = await Writes.InterceptAsync("write", events, write.PersistenceId, cancellationToken).ConfigureAwait(false);
        var result = await _inner.WriteAsync(write, cancellationToken).ConfigureAwait(false);
        return after is null ? result : throw after;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<PersistentRepresentation> ReplayAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var e in _inner.ReplayAsync(persistenceId, fromSequenceNr, toSequenceNr, max, cancellationToken).ConfigureAwait(false))
        {
            await Replays.InterceptAsync("replay", [new InterceptedEvent(e.PersistenceId, e.SequenceNr, e.Payload)], persistenceId, cancellationToken).ConfigureAwait(false);
            yield return e;
        }
    }

    /// <inheritdoc />
    public async Task<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default)
    {
        await Replays.InterceptAsync("highest-sequence-number read", [], persistenceId, cancellationToken).ConfigureAwait(false);
        return await _inner.ReadHighestSequenceNrAsync(persistenceId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default)
    {
        var after = await Writes.InterceptAsync("delete", [], persistenceId, cancellationToken).ConfigureAwait(false);
        await _inner.DeleteMessagesToAsync(persistenceId, toSequenceNr, cancellationToken).ConfigureAwait(false);
        if (after is not null)
        {
            throw after;
        }
    }
}
