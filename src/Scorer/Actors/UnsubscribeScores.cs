using Akka.Actor;

namespace AlgoPerf.Scorer.Actors;

/// <summary>Ends a <see cref="SubscribeScores"/> subscription (nothing when there is none).</summary>
/// <param name="Subscriber">The subscriber.</param>
public sealed record UnsubscribeScores(IActorRef Subscriber);
