using AlgoPerf.Contracts.Ids;

namespace AlgoPerf.Contracts.Delivery;

/// <summary>
/// Coordinator → trainer: the result <paramref name="Seq"/> of attempt <paramref name="Attempt"/> of a trial is dealt
/// with for good (persisted by the trial's tuner, dropped by it as a duplicate or as one of a superseded attempt, or
/// taken by the scheduler), so the trainer may forget it. A trainer keeps every result until this comes and sends the
/// rest again to the coordinator it reports to (after a coordinator hand-over, to the new one).
/// </summary>
/// <param name="Trial">The trial.</param>
/// <param name="Attempt">The attempt the result belongs to.</param>
/// <param name="Seq">The trainer's sequence number of the result.</param>
public sealed record ResultAck(TrialId Trial, int Attempt, long Seq);
