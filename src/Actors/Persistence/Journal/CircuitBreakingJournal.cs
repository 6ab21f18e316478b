using System.Runtime.CompilerServices;
using AlgoPerf.Actors.Pattern;

namespace AlgoPerf.Actors.Persistence.Journal;

/// <summary>
/// A journal behind a <see cref="CircuitBreaker"/> (Akka puts one in front of every journal plugin,
/// <c>circuit-breaker { max-failures = 10, call-timeout = 10s, reset-timeout = 30s }</c>): when the database is
/// down or hangs, writes, reads of the highest sequence number and deletes fail at once with
/// <see cref="OpenCircuitException"/> instead of each waiting out its own timeout, so a process with many actors does
/// not pile up calls against a dead database, and the caller knows such a write was not attempted (safe to retry).
/// Replays pass the breaker too (refused while it is open; a failed replay counts) but without the call timeout: a
/// replay is bounded by the recovery's idle timeout between events instead.
/// </summary>
/// <remarks>
/// Only failures of the database count (<see cref="CountsAsFailure"/>): a rejected payload, a sequence conflict, a
/// fenced writer, a corrupt record or a bad argument is an answer from a working store and never opens the breaker.
/// </remarks>
public sealed class CircuitBreakingJournal : IJournal
{
    private readonly IJournal _inner;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The journal.</param>
    /// <param name="settings">The breaker's limits; null for Akka's journal defaults.</param>
    /// <param name="timeProvider">The clock of the timeouts; null for the system clock.</param>
    public CircuitBreakingJournal(IJournal inner, CircuitBreakerSettings? settings = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        Breaker = new CircuitBreaker(settings ?? CircuitBreakerSettings.JournalDefault, timeProvider, CountsAsFailure);
    }

    /// <summary>The breaker (its state, and its transitions for logging and health checks).</summary>
    public CircuitBreaker Breaker { get; }

    /// <summary>Whether an exception of a journal or snapshot store call is a failure of the store itself.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>False for the store's answers to the request (rejection, conflict, fencing, corrupt data, bad argument).</returns>
    public static bool CountsAsFailure(Exception exception) => exception is not (JournalRejectedException or JournalSequenceConflictException
        or JournalFencedException or JournalCorruptEventException or ArgumentException or OperationCanceledException);

    /// <inheritdoc />
    public Task<WriteResult> WriteAsync(AtomicWrite write, CancellationToken cancellationToken = default) =>
        Breaker.CallAsync(ct => _inner.WriteAsync(write, ct), cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<PersistentRepresentation> ReplayAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var attempt = Breaker.Enter();
        var events = _inner.ReplayAsync(persistenceId, fromSequenceNr, toSequenceNr, max, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (events.ConfigureAwait(false))
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await events.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    attempt.Failed(counts: !cancellationToken.IsCancellationRequested && CountsAsFailure(e));
                    throw;
                }

                if (!more)
                {
                    break;
                }

                yield return events.Current;
            }
        }

        attempt.Succeeded();
    }

    /// <inheritdoc />
    public Task<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default) =>
        Breaker.CallAsync(ct => _inner.ReadHighestSequenceNrAsync(persistenceId, ct), cancellationToken);

    /// <inheritdoc />
    public Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default) =>
        Breaker.CallAsync(ct => _inner.DeleteMessagesToAsync(persistenceId, toSequenceNr, ct), cancellationToken);
}
