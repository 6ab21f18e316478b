namespace AlgoPerf.Actors.Persistence.Journal;

/// <summary>The outcome of a successful <see cref="IJournal.WriteAsync"/>.</summary>
/// <param name="Orderings">The global ordering assigned to each event, in batch order (ascending).</param>
public sealed record WriteResult(IReadOnlyList<long> Orderings);
