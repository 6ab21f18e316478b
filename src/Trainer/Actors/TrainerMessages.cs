using Akka.Actor;
using AlgoPerf.Contracts.Ids;

namespace AlgoPerf.Trainer.Actors;

/// <summary>
/// Requester → <see cref="TrainerActor"/>: run (or resume from the trial directory's latest usable checkpoint) this
/// trial. The fields are the tuner's <c>PlannedTrial</c> one to one (<c>RunTrial(PlannedTrial p)</c> maps to
/// <c>new StartTrial(p.Trial, p.Hyperparameters.Values, p.Seed, p.BudgetSec)</c>; pass null hyperparameters for
/// self-tuning). The trainer replies to the sender, in order: <c>TrialStarted</c>, then per eval
/// <c>EvalRecorded</c> and per checkpoint <c>CheckpointSaved</c> (the journal's contract events), and finally exactly
/// one of <c>TrialFinished</c>, <c>TrialFailed</c> (with the stack trace) or <see cref="TrialCancelled"/>. A repeat of
/// the trial being run is ignored (idempotent, as the tuner resends after a recovery); another trial while one runs
/// gets <see cref="TrialRejected"/>.
/// </summary>
/// <param name="Trial">The trial; names the workload, submission and log directory.</param>
/// <param name="Hyperparameters">Name to value in search-space order; null under self-tuning.</param>
/// <param name="Seed">The trial's seed.</param>
/// <param name="BudgetSec">The submission-time budget (the self-tuning factor already applied).</param>
/// <param name="Gang">This trainer's place in the trial's data-parallel gang; null for a trial on one device.</param>
/// <param name="Attempt">The requester's attempt number of this run of the trial (the fencing token every
/// <see cref="TrialReport"/> of it carries).</param>
public sealed record StartTrial(TrialId Trial, IReadOnlyList<KeyValuePair<string, double>>? Hyperparameters, ulong Seed, double BudgetSec, GangAssignment? Gang = null, int Attempt = 1);

/// <summary>
/// Trainer → requester: one result of an attempt of a trial, with the trainer's sequence number. <see cref="Body"/> is
/// <c>TrialStarted</c>, <c>EvalRecorded</c>, <c>CheckpointSaved</c>, <c>TrialFinished</c>, <c>TrialFailed</c>,
/// <see cref="TrialCancelled"/> or <see cref="GangFailed"/>. The trainer keeps each report until the requester
/// acknowledges it (<c>AlgoPerf.Contracts.Delivery.ResultAck</c>) and sends the unacknowledged ones again every
/// <see cref="TrainerSettings.RedeliverEvery"/>, and to a new requester that attaches (<see cref="AttachTrainer"/>):
/// results are delivered at least once, and the tuner drops the repeats.
/// </summary>
/// <param name="Trial">The trial.</param>
/// <param name="Attempt">The attempt (from <see cref="StartTrial.Attempt"/>).</param>
/// <param name="Seq">The trainer's sequence number, increasing over all its reports.</param>
/// <param name="Body">The result.</param>
public sealed record TrialReport(TrialId Trial, int Attempt, long Seq, object Body);

/// <summary>
/// A coordinator → trainer: report to <paramref name="Requester"/> from now on (a new coordinator after a hand-over).
/// Answered with <see cref="TrainerAttached"/>, which carries the trial this trainer runs and every report not yet
/// acknowledged.
/// </summary>
/// <param name="Requester">The new requester (the coordinator's scheduler).</param>
public sealed record AttachTrainer(IActorRef Requester);

/// <summary>What a trainer runs, for a coordinator that takes it over.</summary>
/// <param name="Trial">The trial.</param>
/// <param name="Attempt">Its attempt.</param>
/// <param name="Gang">Its gang, or null on one device.</param>
public sealed record RunningAttempt(TrialId Trial, int Attempt, GangAssignment? Gang);

/// <summary>Trainer → the coordinator that attached it.</summary>
/// <param name="Trainer">The trainer.</param>
/// <param name="Device">Its device.</param>
/// <param name="Running">The attempt it runs, or null when idle.</param>
/// <param name="Unacknowledged">Its reports not yet acknowledged, in sequence order.</param>
public sealed record TrainerAttached(IActorRef Trainer, string Device, RunningAttempt? Running, IReadOnlyList<TrialReport> Unacknowledged);

/// <summary>
/// Worker → its trainers: this host is cut off from the coordinators; pause the running trial at its next step with a
/// checkpoint (reported as <see cref="TrialCancelled"/>, kept until acknowledged), so a trial the coordinators gave to
/// another host is not trained twice.
/// </summary>
public sealed record PauseForCutOff
{
    /// <summary>The message.</summary>
    public static PauseForCutOff Instance { get; } = new();
}

/// <summary>
/// A trainer's place in a trial's data-parallel gang of <c>Members.Count</c> trainers (one per device): rank
/// <see cref="Rank"/> of <see cref="Members"/>, which all got the same trial. Rank 0 speaks for the trial (its
/// progress events and outcome); every rank replies its end to the scheduler.
/// </summary>
/// <param name="GangId">Unique per trial and attempt (the trial and the attempt number): names the collectives' group.</param>
/// <param name="Rank">This trainer's rank.</param>
/// <param name="Members">The gang's trainers by rank.</param>
/// <param name="Reducer">The collectives' transport: <see cref="GangReducers.InProcess"/> (all members in one process) or <see cref="GangReducers.Gloo"/> (TCP, across processes and hosts; rank 0 sends its rendezvous address to the others through the actor system).</param>
/// <param name="Timeout">How long a rank waits for the others at a collective before the gang fails.</param>
public sealed record GangAssignment(string GangId, int Rank, IReadOnlyList<IActorRef> Members, string Reducer, TimeSpan Timeout)
{
    /// <summary>Ranks in the gang.</summary>
    public int WorldSize => Members.Count;
}

/// <summary>The names of the gang reducers (<see cref="GangAssignment.Reducer"/>).</summary>
public static class GangReducers
{
    /// <summary>Shared memory between threads of one process.</summary>
    public const string InProcess = "inprocess";

    /// <summary>Gloo over TCP, across processes and hosts.</summary>
    public const string Gloo = "gloo";

    /// <summary>NCCL on CUDA devices (CUDA builds on GPU hosts).</summary>
    public const string Nccl = "nccl";
}

/// <summary>
/// Rank 0's trainer → the other trainers of a Gloo or NCCL gang: how to join it. For Gloo the address of the
/// rendezvous store that rank 0 hosts, for NCCL the communicator's unique id that rank 0 created; the actor system
/// carries it, and the gradients then travel over the reducer's own connections, never over Akka remoting. A trainer
/// keeps it until its rank of that gang starts, whichever comes first.
/// </summary>
/// <param name="GangId">The gang.</param>
/// <param name="StoreAddress">Gloo: "host:port" of the store; NCCL: null.</param>
/// <param name="NcclUniqueId">NCCL: the 128-byte unique id; Gloo: null.</param>
public sealed record GangRendezvous(string GangId, string? StoreAddress, byte[]? NcclUniqueId = null);

/// <summary>
/// Trainer → requester: this rank's gang failed (another rank died, hung past the timeout, or restored another
/// checkpoint). The trial is not over: the scheduler runs it again from its checkpoint on a new gang.
/// </summary>
/// <param name="Trial">The trial.</param>
/// <param name="GangId">The failed gang.</param>
/// <param name="Reason">What the rank saw.</param>
public sealed record GangFailed(TrialId Trial, string GangId, string Reason);

/// <summary>
/// Requester → trainer: pause the running trial before its next step (a checkpoint is written, so a later
/// <see cref="StartTrial"/> resumes it exactly). Answered by <see cref="TrialCancelled"/> to the trial's requester;
/// ignored when that trial is not running.
/// </summary>
/// <param name="Trial">The trial.</param>
public sealed record CancelTrial(TrialId Trial);

/// <summary>
/// Requester → trainer: end the running trial for good (the tuner's <c>StopTrial</c>: it can no longer change its
/// study's result). Answered by <c>TrialFinished(StoppedEarly)</c>; ignored when that trial is not running.
/// </summary>
/// <param name="Trial">The trial.</param>
public sealed record StopTrialEarly(TrialId Trial);

/// <summary>Anyone → trainer: answered at once with <see cref="TrainerStatus"/>, also while a trial trains.</summary>
public sealed record GetTrainerStatus
{
    /// <summary>The message.</summary>
    public static GetTrainerStatus Instance { get; } = new();
}

/// <summary>What a trainer is doing.</summary>
public enum TrainerPhase
{
    /// <summary>No trial.</summary>
    Idle,

    /// <summary>A trial is loading data, building or restoring its model and optimizer state.</summary>
    Starting,

    /// <summary>A trial's timed loop runs.</summary>
    Training,

    /// <summary>A cancel or early stop was requested; the trial ends before its next step.</summary>
    Stopping,
}

/// <summary>Trainer → asker: its state.</summary>
/// <param name="Device">The device the trainer owns (e.g. <c>cpu</c>, <c>cuda:0</c>).</param>
/// <param name="Phase">What it is doing.</param>
/// <param name="Trial">The trial it runs, or null.</param>
/// <param name="GlobalStep">Completed steps of that trial (including restored ones).</param>
/// <param name="EvalCount">Evals of that trial so far (including restored ones).</param>
/// <param name="SubmissionTimeSec">Accumulated submission time at the last completed step.</param>
/// <param name="TrialsRun">Trials this trainer has ended (any outcome).</param>
public sealed record TrainerStatus(string Device, TrainerPhase Phase, TrialId? Trial, long GlobalStep, int EvalCount, double SubmissionTimeSec, int TrialsRun);

/// <summary>Trainer → requester: the trial was paused by <see cref="CancelTrial"/>.</summary>
/// <param name="Trial">The trial.</param>
/// <param name="GlobalStep">Completed steps.</param>
/// <param name="CheckpointPath">The checkpoint a resume continues from (relative to the run directory), or null when none was written.</param>
public sealed record TrialCancelled(TrialId Trial, long GlobalStep, string? CheckpointPath);

/// <summary>Trainer → requester: the trainer is busy with another trial; nothing was started.</summary>
/// <param name="Trial">The trial not started.</param>
/// <param name="Reason">Why (names the trial that runs).</param>
public sealed record TrialRejected(TrialId Trial, string Reason);

/// <summary>
/// Asks a trainer to stop for shutdown: a running trial is paused at its next step boundary (checkpointed, reported
/// as <see cref="TrialCancelled"/>), later <see cref="StartTrial"/>s are rejected, and <see cref="TrainerDrained"/> is
/// the answer once no trial runs. Run from Akka's coordinated shutdown, so a stopped run resumes from checkpoints.
/// </summary>
public sealed record DrainTrainer
{
    /// <summary>The instance.</summary>
    public static readonly DrainTrainer Instance = new();
}

/// <summary>The answer to <see cref="DrainTrainer"/>: the trainer runs no trial and will start none.</summary>
/// <param name="Device">The trainer's device.</param>
public sealed record TrainerDrained(string Device);
