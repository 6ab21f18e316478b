namespace AlgoPerf.Scorer.Actors;

/// <summary>A <see cref="ScorerActor"/>'s answer to <see cref="GetScorerStatus"/>.</summary>
/// <param name="Offset">The journal ordering of the last event read (the tail resumes after it).</param>
/// <param name="EventsRead">Events read since the projection was (re)built, each ordering counted once.</param>
/// <param name="EventsApplied">Of those, the events that changed the projection (redeliveries and unrelated events do not).</param>
/// <param name="CaughtUp">Whether the events stored at the start have all been read.</param>
/// <param name="Subscribers">Current subscribers.</param>
/// <param name="TailRestarts">How often the journal tail failed and was restarted.</param>
public sealed record ScorerStatus(long Offset, long EventsRead, long EventsApplied, bool CaughtUp, int Subscribers, int TailRestarts);
