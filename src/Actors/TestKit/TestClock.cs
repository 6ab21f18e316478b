using Microsoft.Extensions.Time.Testing;

namespace AlgoPerf.Actors.TestKit;

/// <summary>
/// Fake time for actor tests: a <see cref="FakeTimeProvider"/> (starting 2026-01-01 UTC) that also counts its
/// pending timers, so a test can wait until an actor has armed its timer before advancing the clock, without sleeps.
/// </summary>
public sealed class TestClock : FakeTimeProvider
{
    private readonly Lock _lock = new();
    private readonly HashSet<ObservedTimer> _pending = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates the clock at 2026-01-01T00:00:00Z.</summary>
    public TestClock()
        : base(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Timers that will fire if the clock advances far enough.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var observed = new ObservedTimer(this, period);
        observed.Inner = base.CreateTimer(static s =>
        {
            var (timer, cb, st) = ((ObservedTimer, TimerCallback, object?))s!;
            timer.Fired();
            cb(st);
        }, (observed, callback, state), dueTime, period);
        SetPending(observed, dueTime != Timeout.InfiniteTimeSpan);
        return observed;
    }

    /// <summary>Completes once at least <paramref name="count"/> timers are pending (real-time <paramref name="timeout"/>, dilated).</summary>
    public async Task WaitForPendingTimersAsync(int count, TimeSpan? timeout = null)
    {
        var limit = TestKitSettings.Current.Dilated(timeout ?? TestKitSettings.Current.SingleExpectDefault);
        using var cts = new CancellationTokenSource(limit);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_pending.Count >= count)
                {
                    return;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"TestClock: waited {limit} for {count} pending timer(s), but only {PendingTimers} exist");
            }
        }
    }

    private void SetPending(ObservedTimer timer, bool pending)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            var modified = pending ? _pending.Add(timer) : _pending.Remove(timer);
            if (!modified)
            {
                return;
            }

            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    private sealed class ObservedTimer : ITimer
    {
        private readonly TestClock _clock;
        private TimeSpan _period;

        public ObservedTimer(TestClock clock, TimeSpan period)
        {
            _clock = clock;
            _period = period;
        }

        public ITimer Inner { get; set; } = null!;

        public void Fired()
        {
            if (_period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero)
            {
                _clock.SetPending(this, false);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            _clock.SetPending(this, dueTime != Timeout.InfiniteTimeSpan);
            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            _clock.SetPending(this, false);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
