using Akka.Actor;

namespace AlgoPerf.Scorer.Actors;

/// <summary>
/// Subscribes <paramref name="Subscriber"/> to a <see cref="ScorerActor"/>'s <c>ScoresChanged</c> updates. Once the
/// scorer has caught up with the journal the subscriber gets the current scores at once, then every change. The
/// scorer watches it and drops it when it stops. Subscribing twice changes nothing.
/// </summary>
/// <param name="Subscriber">Who gets the updates.</param>
public sealed record SubscribeScores(IActorRef Subscriber);
