using AlgoPerf.Scorer.Live;

namespace AlgoPerf.Scorer.Actors;

/// <summary>
/// Asks the <see cref="ScorerActor"/> for a <see cref="RunView"/> of everything it has read, answered once the stored
/// events are read (so a fresh scorer never answers with half a journal).
/// </summary>
/// <param name="AsOf">The asker's clock: the view's time, and the end of a session that is still going.</param>
/// <param name="Live">True when a process is running the run now (open trials are running, not paused).</param>
public sealed record GetRunView(DateTimeOffset AsOf, bool Live);
