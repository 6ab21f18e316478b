using Microsoft.Extensions.Logging;

namespace AlgoPerf.Actors;

/// <summary>What an actor sees of itself and its surroundings while it handles a message (actor thread only).</summary>
public interface IActorContext
{
    /// <summary>This actor.</summary>
    IActorRef Self { get; }

    /// <summary>The sender of the current message (dead letters when there is none).</summary>
    IActorRef Sender { get; }

    /// <summary>The supervisor.</summary>
    IActorRef Parent { get; }

    /// <summary>The live children.</summary>
    IReadOnlyCollection<IActorRef> Children { get; }

    /// <summary>The system the actor lives in.</summary>
    ActorSystem System { get; }

    /// <summary>A logger named after the actor's type.</summary>
    ILogger Log { get; }

    /// <summary>Keyed single and periodic timers; all are cancelled on stop and restart.</summary>
    ITimerScheduler Timers { get; }

    /// <summary>The current receive timeout, or null when off.</summary>
    TimeSpan? ReceiveTimeout { get; }

    /// <summary>Creates a child; <paramref name="name"/> must be unique among live children (null picks one).</summary>
    IActorRef ActorOf(Props props, string? name = null);

    /// <summary>Looks up a live child by name.</summary>
    IActorRef? Child(string name);

    /// <summary>Stops <paramref name="actor"/> (this actor or a child) after its current message.</summary>
    void Stop(IActorRef actor);

    /// <summary>Watches <paramref name="actor"/>: a <see cref="Terminated"/> arrives when it stops (also if already stopped).</summary>
    IActorRef Watch(IActorRef actor);

    /// <summary>Stops watching; a pending <see cref="Terminated"/> for it is discarded.</summary>
    IActorRef Unwatch(IActorRef actor);

    /// <summary>Replaces (or, with <paramref name="discardOld"/> false, pushes) the current behavior.</summary>
    void Become(Action<object> behavior, bool discardOld = true);

    /// <summary>Returns to the previous behavior (the actor's OnReceive at the bottom).</summary>
    void Unbecome();

    /// <summary>Sends <see cref="Actors.ReceiveTimeout"/> after <paramref name="timeout"/> without messages; null turns it off.</summary>
    void SetReceiveTimeout(TimeSpan? timeout);
}
