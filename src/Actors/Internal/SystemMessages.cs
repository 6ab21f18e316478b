namespace AlgoPerf.Actors.Internal;

/// <summary>A message of the runtime's own protocol (lifecycle, supervision, death watch): queued apart and drained first.</summary>
internal abstract record SystemMessage;

/// <summary>Creates the first incarnation.</summary>
internal sealed record CreateActor : SystemMessage;

/// <summary>Restarts the actor after <paramref name="Cause"/>.</summary>
internal sealed record Recreate(Exception Cause) : SystemMessage;

/// <summary>Stops processing user messages (recursively).</summary>
internal sealed record Suspend : SystemMessage;

/// <summary>Undoes one <see cref="Suspend"/> (recursively); <paramref name="CausedByFailure"/> is set for the Resume directive.</summary>
internal sealed record Resume(Exception? CausedByFailure) : SystemMessage;

/// <summary>Stops the actor (children first).</summary>
internal sealed record Terminate : SystemMessage;

/// <summary>Registers <paramref name="Watcher"/> for a death notification of <paramref name="Watchee"/>.</summary>
internal sealed record Watch(IInternalActorRef Watchee, IInternalActorRef Watcher) : SystemMessage;

/// <summary>Removes a registration made by <see cref="Watch"/>.</summary>
internal sealed record Unwatch(IInternalActorRef Watchee, IInternalActorRef Watcher) : SystemMessage;

/// <summary>Tells a watcher or the parent that <paramref name="Actor"/> stopped.</summary>
internal sealed record DeathWatchNotification(IInternalActorRef Actor, bool ExistenceConfirmed) : SystemMessage;

/// <summary>Tells the parent that its child failed (the child is suspended until the parent decides).</summary>
internal sealed record Failed(IInternalActorRef Child, Exception Cause, long Uid) : SystemMessage;
