namespace AlgoPerf.Actors;

/// <summary>A reply that carries a failure; <c>Ask</c> turns it into a faulted task.</summary>
/// <param name="Cause">What went wrong.</param>
public sealed record StatusFailure(Exception Cause);
