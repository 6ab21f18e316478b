using AlgoPerf.Actors.Internal;

namespace AlgoPerf.Actors;

/// <summary>Tell with the implicit sender, forward, ask and graceful stop.</summary>
public static class ActorRefExtensions
{
    /// <summary>Sends with the current actor as sender (none outside an actor).</summary>
    public static void Tell(this IActorRef target, object message)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Tell(message, ActorCell.Current?.Self);
    }

    /// <summary>Sends keeping the current message's sender (inside an actor).</summary>
    public static void Forward(this IActorRef target, object message)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Tell(message, ActorCell.Current?.Sender);
    }

    /// <summary>
    /// Sends <paramref name="message"/> and awaits one reply of type <typeparamref name="T"/>: a
    /// <see cref="StatusFailure"/> reply faults the task, no reply within <paramref name="timeout"/> (on the system's
    /// clock) throws <see cref="AskTimeoutException"/>, and <paramref name="cancellationToken"/> cancels it.
    /// </summary>
    public static Task<T> Ask<T>(this IActorRef target, object message, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(message);
        var system = (target as IInternalActorRef)?.System
            ?? throw new ArgumentException($"{target.Path} is not a ref of an actor system", nameof(target));
        return new PromiseActorRef<T>(system).Start(target, message, timeout, cancellationToken);
    }

    /// <summary>
    /// Sends <paramref name="stopMessage"/> (default <see cref="PoisonPill"/>; use <see cref="StopAfterDrain"/> for
    /// persistent actors) and completes with true when the actor has stopped, false when <paramref name="timeout"/>
    /// passed first.
    /// </summary>
    public static async Task<bool> GracefulStop(this IActorRef target, TimeSpan timeout, object? stopMessage = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        var internalRef = target as IInternalActorRef
            ?? throw new ArgumentException($"{target.Path} is not a ref of an actor system", nameof(target));
        var watcher = new StopWatcherRef(internalRef.System);
        internalRef.SendSystemMessage(new Watch(internalRef, watcher));
        target.Tell(stopMessage ?? PoisonPill.Instance, null);
        var delay = Task.Delay(timeout, internalRef.System.TimeProvider);
        var first = await Task.WhenAny(watcher.Stopped, delay).ConfigureAwait(false);
        return first == watcher.Stopped;
    }
}
