namespace AlgoPerf.Actors;

/// <summary>
/// A handle to an actor: the only way to talk to it. Refs are cheap to copy, safe to share between threads and
/// stay valid after the actor stopped (messages then go to dead letters).
/// </summary>
public interface IActorRef
{
    /// <summary>The actor's path in its system, e.g. <c>/user/scheduler/trainer-0</c>.</summary>
    string Path { get; }

    /// <summary>
    /// Enqueues <paramref name="message"/> (at-most-once; FIFO per sender-receiver pair). <paramref name="sender"/>
    /// becomes the receiver's <see cref="IActorContext.Sender"/>; null means "no sender" (replies go to dead letters).
    /// </summary>
    void Tell(object message, IActorRef? sender);
}
