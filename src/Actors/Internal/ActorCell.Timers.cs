namespace AlgoPerf.Actors.Internal;

internal sealed partial class ActorCell
{
    private TimerScheduler? _timers;
    private TimeSpan? _receiveTimeout;
    private ITimer? _receiveTimeoutTimer;
    private long _receiveTimeoutGeneration;

    public ITimerScheduler Timers => _timers ??= new TimerScheduler(this);

    public TimeSpan? ReceiveTimeout => _receiveTimeout;

    public void SetReceiveTimeout(TimeSpan? timeout)
    {
        if (timeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "a receive timeout must be positive (null turns it off)");
        }

        _receiveTimeout = timeout;
        if (timeout is null)
        {
            _receiveTimeoutGeneration++;
            _receiveTimeoutTimer?.Dispose();
            _receiveTimeoutTimer = null;
        }
        else
        {
            RestartReceiveTimeout();
        }
    }

    private void RestartReceiveTimeout()
    {
        var generation = ++_receiveTimeoutGeneration;
        var due = _receiveTimeout!.Value;
        _receiveTimeoutTimer?.Dispose();
        _receiveTimeoutTimer = System.TimeProvider.CreateTimer(
            static state =>
            {
                var (self, gen) = ((LocalActorRef, long))state!;
                self.Tell(new ReceiveTimeoutTick(gen), null);
            },
            (SelfRef, generation),
            due,
            Timeout.InfiniteTimeSpan);
    }

    private void CancelTimersAndReceiveTimeout()
    {
        _timers?.CancelAll();
        SetReceiveTimeout(null);
    }
}

/// <summary>A receive-timeout firing; stale generations are dropped.</summary>
internal sealed record ReceiveTimeoutTick(long Generation) : IAutoReceivedMessage, INotInfluenceReceiveTimeout;

/// <summary>A timer firing that carries the user's message; stale generations are dropped.</summary>
internal sealed record TimerMessage(object Key, long Generation, object Message) : IAutoReceivedMessage, INotInfluenceReceiveTimeout;
