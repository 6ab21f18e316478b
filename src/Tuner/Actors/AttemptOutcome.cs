using Akka.Actor;
using AlgoPerf.Contracts.Events;

namespace AlgoPerf.Tuner.Actors;

/// <summary>
/// Runner → tuner: one result of attempt <see cref="Attempt"/> of a trial (<c>TrialStarted</c>, <c>EvalRecorded</c>,
/// <c>TrialFinished</c> or <c>TrialFailed</c>), delivered at least once. The tuner refuses it when a later attempt of
/// the trial has started, drops it when this attempt already recorded it (by eval index), else persists it; in every
/// case, once done, it sends <c>ResultAck(trial, attempt, seq)</c> to <see cref="AckTo"/>, the trainer that keeps the
/// result until then.
/// </summary>
/// <param name="Attempt">The attempt (fencing token) the result belongs to.</param>
/// <param name="Seq">The trainer's sequence number of the result.</param>
/// <param name="Outcome">The result.</param>
/// <param name="AckTo">Who gets the acknowledgement (the trainer); <see cref="ActorRefs.Nobody"/> for none.</param>
public sealed record AttemptOutcome(int Attempt, long Seq, IEvent Outcome, IActorRef AckTo);
