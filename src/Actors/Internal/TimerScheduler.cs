namespace AlgoPerf.Actors.Internal;

/// <summary>
/// The keyed timers of one actor (actor thread only). Each start bumps a generation, and a firing whose generation
/// is no longer current is discarded when it reaches the head of the mailbox, so a cancelled timer never delivers.
/// </summary>
internal sealed class TimerScheduler : ITimerScheduler
{
    private readonly ActorCell _cell;
    private readonly Dictionary<object, Entry> _timers = [];
    private long _generation;

    public TimerScheduler(ActorCell cell)
    {
        _cell = cell;
    }

    public void StartSingleTimer(object key, object message, TimeSpan delay) => Start(key, message, delay, Timeout.InfiniteTimeSpan);

    public void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "a periodic timer's interval must be positive");
        }

        Start(key, message, initialDelay, interval);
    }

    public bool IsTimerActive(object key) => _timers.ContainsKey(key);

    public void Cancel(object key)
    {
        if (_timers.Remove(key, out var entry))
        {
            entry.Timer.Dispose();
        }
    }

    public void CancelAll()
    {
        foreach (var entry in _timers.Values)
        {
            entry.Timer.Dispose();
        }

        _timers.Clear();
    }

    /// <summary>True when <paramref name="message"/> comes from the current generation of its timer.</summary>
    public bool Accept(TimerMessage message)
    {
        if (!_timers.TryGetValue(message.Key, out var entry) || entry.Generation != message.Generation)
        {
            return false;
        }

        if (!entry.Periodic)
        {
            _timers.Remove(message.Key);
            entry.Timer.Dispose();
        }

        return true;
    }

    private void Start(object key, object message, TimeSpan delay, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(message);
        if (delay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "a timer's delay cannot be negative");
        }

        Cancel(key);
        var tick = new TimerMessage(key, ++_generation, message);
        var self = _cell.SelfRef;
        var timer = _cell.System.TimeProvider.CreateTimer(static state =>
        {
            var (target, m) = ((LocalActorRef, TimerMessage))state!;
            target.Tell(m, null);
        }, (self, tick), delay, period);
        _timers[key] = new Entry(timer, tick.Generation, period != Timeout.InfiniteTimeSpan);
    }

    private sealed record Entry(ITimer Timer, long Generation, bool Periodic);
}
