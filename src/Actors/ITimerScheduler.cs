namespace AlgoPerf.Actors;

/// <summary>
/// An actor's keyed timers (on the system's <see cref="TimeProvider"/>). Starting a timer with a key in use replaces
/// it, and a message of a cancelled or replaced timer is never delivered, even when it was already enqueued.
/// </summary>
public interface ITimerScheduler
{
    /// <summary>Sends <paramref name="message"/> to self once after <paramref name="delay"/>.</summary>
    void StartSingleTimer(object key, object message, TimeSpan delay);

    /// <summary>Sends <paramref name="message"/> to self after <paramref name="initialDelay"/> and then every <paramref name="interval"/>.</summary>
    void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval);

    /// <summary>True when a timer with <paramref name="key"/> is running.</summary>
    bool IsTimerActive(object key);

    /// <summary>Cancels the timer with <paramref name="key"/> (no-op when none).</summary>
    void Cancel(object key);

    /// <summary>Cancels every timer.</summary>
    void CancelAll();
}
