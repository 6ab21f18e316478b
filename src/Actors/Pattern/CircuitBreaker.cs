using System.Globalization;

namespace AlgoPerf.Actors.Pattern;

/// <summary>
/// Akka's circuit breaker (<c>Akka.Pattern.CircuitBreaker</c>) in front of a remote resource such as the journal's
/// database. <b>Closed</b>: calls pass; a call that fails (an exception the <c>isFailure</c> predicate counts) or
/// takes longer than <see cref="CircuitBreakerSettings.CallTimeout"/> adds one to the failure count, a success resets
/// it, and <see cref="CircuitBreakerSettings.MaxFailures"/> in a row open the breaker. <b>Open</b>: every call fails at
/// once with <see cref="OpenCircuitException"/> (the call is not attempted, so retrying it later is safe) until
/// <see cref="CircuitBreakerSettings.ResetTimeout"/> has passed. <b>Half-open</b>: the first call goes through as a
/// probe (others fail fast); its success closes the breaker, its failure opens it for another reset timeout.
/// </summary>
/// <remarks>
/// Thread-safe. State changes happen on calls (and reads of <see cref="State"/>), measured on the injected clock, so
/// there is no timer to leak. The transitions are reported to <see cref="Transitioned"/> outside the lock.
/// </remarks>
public sealed class CircuitBreaker
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Func<Exception, bool> _isFailure;
    private CircuitBreakerState _state = CircuitBreakerState.Closed;
    private int _failures;
    private long _openedAt;
    private bool _probeInFlight;

    /// <summary>Creates a closed breaker.</summary>
    /// <param name="settings">Failure count, call timeout and reset timeout (validated).</param>
    /// <param name="timeProvider">The clock of the timeouts; null for the system clock.</param>
    /// <param name="isFailure">Which exceptions count as failures of the resource; null: all but cancellation.
    /// Cancellation by the caller never counts.</param>
    public CircuitBreaker(CircuitBreakerSettings settings, TimeProvider? timeProvider = null, Func<Exception, bool>? isFailure = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings.Validate();
        _time = timeProvider ?? TimeProvider.System;
        _isFailure = isFailure ?? (_ => true);
    }

    /// <summary>The settings.</summary>
    public CircuitBreakerSettings Settings { get; }

    /// <summary>Called with the new state after each transition (on the thread that caused it).</summary>
    public event Action<CircuitBreakerState>? Transitioned;

    /// <summary>The current state (an open breaker whose reset timeout has passed reads as half-open).</summary>
    public CircuitBreakerState State
    {
        get
        {
            CircuitBreakerState state;
            bool changed;
            lock (_gate)
            {
                changed = MoveToHalfOpenIfDue();
                state = _state;
            }

            Notify(changed, CircuitBreakerState.HalfOpen);
            return state;
        }
    }

    /// <summary>Consecutive failures counted while closed.</summary>
    public int FailureCount
    {
        get
        {
            lock (_gate)
            {
                return _failures;
            }
        }
    }

    /// <summary>Runs <paramref name="body"/> through the breaker.</summary>
    /// <param name="body">The call; its token is cancelled when the call times out or the caller cancels.</param>
    /// <param name="cancellationToken">The caller's cancellation (never counted as a failure).</param>
    /// <typeparam name="T">The result type.</typeparam>
    /// <returns>The call's result.</returns>
    /// <exception cref="OpenCircuitException">The breaker is open (or half-open with its probe in flight); nothing was attempted.</exception>
    /// <exception cref="TimeoutException">The call took longer than the call timeout (counted as a failure).</exception>
    public async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var attempt = Enter();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<T>? call = null;
        try
        {
            call = body(timeout.Token);
            var result = await call.WaitAsync(Settings.CallTimeout, _time, cancellationToken).ConfigureAwait(false);
            attempt.Succeeded();
            return result;
        }
        catch (TimeoutException) when (call is { IsCompleted: false } && !cancellationToken.IsCancellationRequested)
        {
            // The call itself is still running: it has overrun the call timeout (a TimeoutException of the call's own
            // is an ordinary failure, below). Cancel it and count the failure.
            await timeout.CancelAsync().ConfigureAwait(false);
            attempt.Failed(counts: true);
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"the call did not complete within the circuit breaker's call-timeout of {Settings.CallTimeout.TotalSeconds:G} s"));
        }
        catch (Exception e)
        {
            attempt.Failed(counts: !cancellationToken.IsCancellationRequested && e is not OperationCanceledException && _isFailure(e));
            throw;
        }
    }

    /// <summary>Runs <paramref name="body"/> through the breaker.</summary>
    /// <param name="body">The call; its token is cancelled when the call times out or the caller cancels.</param>
    /// <param name="cancellationToken">The caller's cancellation (never counted as a failure).</param>
    /// <returns>A task that completes with the call.</returns>
    public Task CallAsync(Func<CancellationToken, Task> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        return CallAsync(async ct =>
        {
            await body(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Admits one call whose outcome the caller reports itself (a stream, where the call timeout does not apply): its
    /// <see cref="Attempt.Succeeded"/> or <see cref="Attempt.Failed"/> counts as a call through the breaker; disposing
    /// it without either (the consumer stopped early) counts as neither.
    /// </summary>
    /// <returns>The admitted attempt.</returns>
    /// <exception cref="OpenCircuitException">The breaker is open; nothing may be attempted.</exception>
    public Attempt Enter()
    {
        bool changed;
        OpenCircuitException? open = null;
        lock (_gate)
        {
            changed = MoveToHalfOpenIfDue();
            switch (_state)
            {
                case CircuitBreakerState.Open:
                    open = new OpenCircuitException(Settings.ResetTimeout - _time.GetElapsedTime(_openedAt));
                    break;
                case CircuitBreakerState.HalfOpen when _probeInFlight:
                    open = new OpenCircuitException(TimeSpan.Zero);
                    break;
                case CircuitBreakerState.HalfOpen:
                    _probeInFlight = true;
                    break;
            }
        }

        Notify(changed, CircuitBreakerState.HalfOpen);
        return open is null ? new Attempt(this) : throw open;
    }

    private void Report(bool success, bool counts)
    {
        CircuitBreakerState? changedTo = null;
        lock (_gate)
        {
            var probe = _state == CircuitBreakerState.HalfOpen && _probeInFlight;
            _probeInFlight = false;
            if (success && _state == CircuitBreakerState.Open)
            {
                // A call admitted before the breaker opened: its success says nothing about now.
            }
            else if (success)
            {
                _failures = 0;
                if (_state != CircuitBreakerState.Closed)
                {
                    _state = CircuitBreakerState.Closed;
                    changedTo = CircuitBreakerState.Closed;
                }
            }
            else if (counts && (probe || (_state == CircuitBreakerState.Closed && ++_failures >= Settings.MaxFailures)))
            {
                _state = CircuitBreakerState.Open;
                _openedAt = _time.GetTimestamp();
                _failures = 0;
                changedTo = CircuitBreakerState.Open;
            }
        }

        if (changedTo is { } to)
        {
            Transitioned?.Invoke(to);
        }
    }

    private bool MoveToHalfOpenIfDue()
    {
        if (_state != CircuitBreakerState.Open || _time.GetElapsedTime(_openedAt) < Settings.ResetTimeout)
        {
            return false;
        }

        _state = CircuitBreakerState.HalfOpen;
        _probeInFlight = false;
        return true;
    }

    private void Notify(bool changed, CircuitBreakerState state)
    {
        if (changed)
        {
            Transitioned?.Invoke(state);
        }
    }

    /// <summary>One admitted call; report its outcome once.</summary>
    public sealed class Attempt : IDisposable
    {
        private CircuitBreaker? _breaker;

        internal Attempt(CircuitBreaker breaker) => _breaker = breaker;

        /// <summary>The call succeeded: the breaker closes (and its failure count resets).</summary>
        public void Succeeded() => Interlocked.Exchange(ref _breaker, null)?.Report(success: true, counts: false);

        /// <summary>The call failed; <paramref name="counts"/> says whether the failure is the resource's.</summary>
        /// <param name="counts">False for a failure that says nothing of the resource (a rejected request, a cancellation).</param>
        public void Failed(bool counts) => Interlocked.Exchange(ref _breaker, null)?.Report(success: false, counts: counts);

        /// <summary>Ends an attempt with no outcome: frees the half-open probe, counts nothing.</summary>
        public void Dispose() => Failed(counts: false);
    }
}

/// <summary>The states of a <see cref="CircuitBreaker"/>.</summary>
public enum CircuitBreakerState
{
    /// <summary>Calls pass; failures are counted.</summary>
    Closed,

    /// <summary>Calls fail at once.</summary>
    Open,

    /// <summary>One probe call may pass.</summary>
    HalfOpen,
}

/// <summary>A circuit breaker's limits (Akka: <c>max-failures</c>, <c>call-timeout</c>, <c>reset-timeout</c>).</summary>
/// <param name="MaxFailures">Consecutive failures that open the breaker; at least 1.</param>
/// <param name="CallTimeout">A call running longer fails with <see cref="TimeoutException"/> and counts as a failure; positive.</param>
/// <param name="ResetTimeout">How long the breaker stays open before it lets a probe through; positive.</param>
public sealed record CircuitBreakerSettings(int MaxFailures, TimeSpan CallTimeout, TimeSpan ResetTimeout)
{
    /// <summary>Akka's journal breaker: 10 failures, 10 s call timeout, 30 s reset.</summary>
    public static CircuitBreakerSettings JournalDefault { get; } = new(10, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));

    /// <summary>Akka's snapshot-store breaker: 5 failures, 20 s call timeout, 60 s reset.</summary>
    public static CircuitBreakerSettings SnapshotStoreDefault { get; } = new(5, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(60));

    /// <summary>Checks the limits.</summary>
    /// <returns>This.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
    public CircuitBreakerSettings Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFailures, 1, nameof(MaxFailures));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CallTimeout, TimeSpan.Zero, nameof(CallTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ResetTimeout, TimeSpan.Zero, nameof(ResetTimeout));
        return this;
    }
}

/// <summary>A call refused by an open <see cref="CircuitBreaker"/>: it was not attempted.</summary>
public sealed class OpenCircuitException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="remaining">Time until the breaker lets a probe through (zero when a probe is in flight).</param>
    public OpenCircuitException(TimeSpan remaining)
        : base(string.Create(CultureInfo.InvariantCulture, $"circuit breaker is open; the call was not attempted (a probe may pass in {Math.Max(0, remaining.TotalSeconds):0.###} s)"))
    {
        RemainingDuration = remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining;
    }

    /// <summary>Creates the exception with no remaining time.</summary>
    public OpenCircuitException()
        : this(TimeSpan.Zero)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public OpenCircuitException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public OpenCircuitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Time until the breaker lets a probe through.</summary>
    public TimeSpan RemainingDuration { get; }
}
