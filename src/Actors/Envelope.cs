namespace AlgoPerf.Actors;

/// <summary>A user message and its sender as stored in a mailbox (a struct, so enqueueing does not allocate).</summary>
/// <param name="Message">The message.</param>
/// <param name="Sender">The sender, or null for none.</param>
public readonly record struct Envelope(object Message, IActorRef? Sender);
