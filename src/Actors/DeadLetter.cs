namespace AlgoPerf.Actors;

/// <summary>A message that could not be delivered (receiver stopped), published on the event stream.</summary>
/// <param name="Message">The undelivered message.</param>
/// <param name="Sender">Its sender, if any.</param>
/// <param name="Recipient">The intended receiver.</param>
public sealed record DeadLetter(object Message, IActorRef? Sender, IActorRef Recipient);
