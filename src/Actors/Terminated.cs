namespace AlgoPerf.Actors;

/// <summary>
/// Delivered to a watcher (see <see cref="IActorContext.Watch"/>) when the watched actor stopped, also when it was
/// already dead at watch time. Not handling it throws <see cref="DeathPactException"/>.
/// </summary>
/// <param name="Actor">The actor that stopped.</param>
/// <param name="ExistenceConfirmed">False when the actor was already gone when the watch arrived.</param>
public sealed record Terminated(IActorRef Actor, bool ExistenceConfirmed) : Internal.IAutoReceivedMessage;
