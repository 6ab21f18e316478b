namespace AlgoPerf.Actors.Persistence.Journal.Testing;

/// <summary>
/// The fault rules of one side of a <see cref="TestJournal"/> (writes or replays), in the spirit of
/// Akka.Persistence.TestKit's <c>JournalWriteBehavior</c> / <c>JournalRecoveryBehavior</c>: pass, fail, reject, or delay,
/// for every operation or those touching an event that matches a predicate, optionally only a number of times. The
/// newest rule that matches wins; <see cref="Pass"/> clears all rules. Thread-safe.
/// </summary>
public sealed class JournalInterceptor
{
    private readonly Lock _gate = new();
    private readonly List<Rule> _rules = [];
    private readonly TimeProvider _time;
    private readonly bool _isWrite;

    internal JournalInterceptor(TimeProvider timeProvider, bool isWrite)
    {
        _time = timeProvider;
        _isWrite = isWrite;
    }

    private enum Kind
    {
        Fail,
        FailAfterStoring,
        Reject,
        Delay,
    }

    /// <summary>Removes every rule: operations pass through unchanged.</summary>
    /// <returns>This interceptor.</returns>
    public JournalInterceptor Pass()
    {
        lock (_gate)
        {
            _rules.Clear();
        }

        return this;
    }

    /// <summary>
    /// Fails matching operations: a write throws <see cref="JournalWriteFailedException"/> without storing anything; a
    /// replay throws <see cref="IOException"/> at the matching event (after delivering the ones before it).
    /// </summary>
    /// <param name="when">Which events trigger it; null for every operation.</param>
    /// <param name="times">How many operations it affects before it stops applying.</param>
    /// <returns>This interceptor.</returns>
    public JournalInterceptor Fail(Func<InterceptedEvent, bool>? when = null, int times = int.MaxValue) => Add(Kind.Fail, when, times, TimeSpan.Zero);

    /// <summary>Fails matching operations on events of type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="times">How many operations it affects.</param>
    /// <returns>This interceptor.</returns>
    public JournalInterceptor FailOnType<T>(int times = int.MaxValue) => Fail(e => e.Payload is T, times);

    /// <summary>
    /// Writes only: stores the batch, then throws <see cref="JournalWriteFailedException"/> anyway: the "outcome
    /// unknown" case where the write did land, so recovery must see it.
    /// </summary>
    /// <param name="when">Which events trigger it; null for every write.</param>
    /// <param name="times">How many writes it affects.</param>
    /// <returns>This interceptor.</returns>
    public JournalInterceptor FailAfterStoring(Func<InterceptedEvent, bool>? when = null, int times = int.MaxValue)
    {
        if (!_isWrite)
        {
            throw new InvalidOperationException("FailAfterStoring applies to writes only");
        }

        return Add(Kind.FailAfterStoring, when, times, TimeSpan.Zero);
    }

    /// <summary>
    /// Rejects matching operations: a write throws <see cref="JournalRejectedException"/> without storing anything; a
    /// replay throws <see cref="JournalCorruptEventException"/> at the matching event (an unreadable record).
    /// </summary>
    /// <param name="when">Which events trigger it; null for every operation.</param>
    /// <param name="times">How many operations it affects.</param>
    /// <returns>This interceptor.</returns>
    public JournalInterceptor Reject(Func<InterceptedEvent, bool>? when = null, int times = int.MaxValue) => Add(Kind.Reject, when, times, TimeSpan.Zero);

    /// <summary>Rejects matching operations on events of type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="times">How many operations it affects.</param>
    /// <returns>This interceptor.</returns>
    public JournalInterceptor RejectOnType<T>(int times = int.MaxValue) => Reject(e => e.Payload is T, times);

    /// <summary>Delays matching operations by <paramref name="delay"/> on the journal's <see cref="TimeProvider"/>, then passes them.</summary>
    /// <param name="delay">The delay.</param>
    /// <param name="when">Which events trigger it; null for every operation.</param>
    /// <param name="times">How many operations it affects.</param>
    /// <returns>This interceptor.</returns>
    public JournalInterceptor Delay(TimeSpan delay, Func<InterceptedEvent, bool>? when = null, int times = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return Add(Kind.Delay, when, times, delay);
    }

    /// <summary>Applies the rules to an operation over <paramref name="events"/>; returns what the caller must do after the
    /// inner journal ran (for <see cref="FailAfterStoring"/>), or throws the injected fault.</summary>
    internal async Task<Exception?> InterceptAsync(string operation, IReadOnlyList<InterceptedEvent> events, string persistenceId, CancellationToken cancellationToken)
    {
        Rule? rule = null;
        InterceptedEvent? trigger = null;
        lock (_gate)
        {
            for (var i = _rules.Count - 1; i >= 0 && rule is null; i--)
            {
                var candidate = _rules[i];
                if (candidate.Remaining <= 0)
                {
                    continue;
                }

                if (candidate.When is null)
                {
                    rule = candidate;
                }
                else
                {
                    trigger = events.FirstOrDefault(candidate.When);
                    rule = trigger is null ? null : candidate;
                }
            }

            if (rule is not null)
            {
                rule.Remaining--;
            }
        }

        if (rule is null)
        {
            return null;
        }

        var where = trigger is null ? $"'{persistenceId}'" : $"'{trigger.PersistenceId}' sequence number {trigger.SequenceNr}";
        switch (rule.Kind)
        {
            case Kind.Delay:
                await Task.Delay(rule.Delay, _time, cancellationToken).ConfigureAwait(false);
                return null;
            case Kind.FailAfterStoring:
                return new JournalWriteFailedException($"TestJournal: injected failure after storing the {operation} of {where}");
            case Kind.Reject when _isWrite:
                throw new JournalRejectedException($"TestJournal: injected rejection of the {operation} of {where}");
            case Kind.Reject:
                throw new JournalCorruptEventException(trigger?.PersistenceId ?? persistenceId, trigger?.SequenceNr ?? 0, trigger?.Payload.GetType().Name ?? "?", 0, "TestJournal: injected unreadable record", null);
            case Kind.Fail when _isWrite:
                throw new JournalWriteFailedException($"TestJournal: injected failure of the {operation} of {where}");
            default:
                throw new IOException($"TestJournal: injected failure of the {operation} of {where}");
        }
    }

    private JournalInterceptor Add(Kind kind, Func<InterceptedEvent, bool>? when, int times, TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        lock (_gate)
        {
            _rules.Add(new Rule(kind, when, delay) { Remaining = times });
        }

        return this;
    }

    private sealed record Rule(Kind Kind, Func<InterceptedEvent, bool>? When, TimeSpan Delay)
    {
        public int Remaining { get; set; }
    }
}
