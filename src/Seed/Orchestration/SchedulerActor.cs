using Akka.Actor;
using Akka.Event;
using AlgoPerf.Contracts.Delivery;
using AlgoPerf.Contracts.Diagnostics;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Trainer.Actors;
using AlgoPerf.Tuner.Actors;
using AlgoPerf.Tuner.Plans;

namespace AlgoPerf.Seed.Orchestration;

/// <summary>
/// Matches runnable trials to free trainers (longest budget first, then in plan order) and routes each trial's outcomes
/// back to the tuner that asked for it. A trial runs on one trainer, or data-parallel on a gang of
/// <see cref="GangSettings.DevicesPerTrial"/> trainers.
/// </summary>
/// <remarks>
/// <para>Tuners send <see cref="RunTrial"/> (again after a recovery: a repeat of a queued or running trial keeps its
/// place and redirects its outcomes to the sender, the recovered tuner) and <see cref="StopTrial"/> (a queued trial, or
/// one this process never ran, is reported as stopped early at once; a running one is stopped through its trainers).
/// Trainers answer with the journal's outcome events (<see cref="TrialStarted"/>, <see cref="EvalRecorded"/>, then
/// <see cref="TrialFinished"/> or <see cref="TrialFailed"/>), which are forwarded to the trial's tuner. A trial a
/// trainer pauses (<see cref="TrialCancelled"/>) or rejects (<see cref="TrialRejected"/>) is queued again, first among
/// the trials of its budget (the queue gives the longest budgets first); a trainer that rejected one gets no other
/// until it reports an end. The trainer protocol is given as two functions so the scheduler does not depend on the
/// trainer's message types. A trainer that dies is removed (see below for its trial).</para>
/// <para>Gangs: the k trainers of a gang are taken from one host (actor-system address) where one has k free, from
/// several only when <see cref="GangSettings.AcrossHosts"/> allows it; rank 0 is the first by name. Only rank 0's
/// progress and outcome speak for the trial; the gang's trainers are free again one by one as each reports its end,
/// and the trial's outcome is decided when all have. A gang that failed (<see cref="GangFailed"/>, a rank that
/// failed or was rejected alone, a member that died) runs the trial again from its checkpoint on a new gang, at most
/// <see cref="GangSettings.MaxRestarts"/> times; messages from an earlier attempt's trainers are not taken as the
/// new attempt's (the attempt number is part of the gang id).</para>
/// <para>Delivery (one host or a cluster): trainers report in <see cref="TrialReport"/>s numbered per trainer and keep
/// each until it is acknowledged (<see cref="ResultAck"/>). The scheduler hands rank 0's results to the trial's tuner
/// as <see cref="AttemptOutcome"/>s, which the tuner acknowledges once persisted (or dropped as a duplicate or as one
/// of a superseded attempt); it acknowledges the rest itself. Every run of a trial is an attempt with a number above
/// any the tuner's journal holds (<see cref="RunTrial.LastAttempt"/>), the fencing token of its results. A trainer
/// that dies (its host crashed, left or was downed) has its trial queued again, to resume from its latest checkpoint
/// elsewhere, at most <see cref="GangSettings.MaxRestarts"/> times.</para>
/// <para>Cluster mode: trainers come and go (<see cref="TrainerAttached"/>: a worker's trainers, with the attempt each
/// runs and its unacknowledged reports, when a coordinator takes them over). A scheduler created to
/// <c>reconcile</c> gives no trial to a trainer until <see cref="ReconcileDone"/>, so a new coordinator adopts what
/// the workers run instead of starting it twice.</para>
/// </remarks>
public sealed class SchedulerActor : UntypedActor
{
    private readonly List<IActorRef> _trainers;
    private readonly Func<PlannedTrial, GangAssignment?, int, object> _runMessage;
    private readonly Func<TrialId, object> _cancelMessage;
    private readonly GangSettings _gangs;
    private readonly List<(PlannedTrial Trial, IActorRef Tuner)> _queue = [];
    private readonly Dictionary<TrialId, Attempt> _running = [];
    private readonly Dictionary<TrialId, int> _attempts = [];
    private readonly Dictionary<TrialId, int> _restarts = [];
    private readonly Dictionary<TrialId, IActorRef> _tuners = [];
    private readonly Dictionary<TrialId, List<(TrialReport Report, IActorRef Trainer)>> _unrouted = [];
    private readonly Dictionary<IActorRef, string> _devices = [];
    private readonly Dictionary<IActorRef, string> _names = [];
    private readonly Dictionary<TrialId, (int Attempt, IActorRef Trainer)> _ended = [];
    private readonly Dictionary<TrialId, (PlannedTrial Trial, IActorRef Tuner)> _parked = [];
    private readonly HashSet<IActorRef> _free = [];
    private readonly HashSet<TrialId> _stopped = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _reconciling;

    /// <summary>Creates the scheduler (through <see cref="Props"/>).</summary>
    public SchedulerActor(IReadOnlyList<IActorRef> trainers, Func<PlannedTrial, GangAssignment?, int, object> runMessage, Func<TrialId, object> cancelMessage, GangSettings? gangs = null, bool reconcile = false)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        ArgumentNullException.ThrowIfNull(runMessage);
        ArgumentNullException.ThrowIfNull(cancelMessage);
        if (trainers.Count == 0 && !reconcile)
        {
            throw new ArgumentException("the scheduler needs at least one trainer", nameof(trainers));
        }

        _gangs = gangs ?? GangSettings.OneDevice;
        if (!reconcile && _gangs.DevicesPerTrial > trainers.Count)
        {
            throw new ArgumentException($"a trial needs {_gangs.DevicesPerTrial} devices, and there are {trainers.Count} trainers", nameof(gangs));
        }

        _trainers = [.. trainers];
        _runMessage = runMessage;
        _cancelMessage = cancelMessage;
        _reconciling = reconcile;
    }

    /// <summary>Props for a scheduler over <paramref name="trainers"/>.</summary>
    /// <param name="trainers">The trainer actors, one per device (more may attach later with <see cref="TrainerAttached"/>).</param>
    /// <param name="runMessage">The message that makes a trainer run (or resume) a trial as the given attempt, with its place in the trial's gang (null on one device), and report to its sender.</param>
    /// <param name="cancelMessage">The message that makes a trainer stop the trial it runs.</param>
    /// <param name="gangs">Devices per trial and the gangs' rules; null: one device per trial.</param>
    /// <param name="reconcile">Give no trial to a trainer before <see cref="ReconcileDone"/> (a coordinator that takes over running workers).</param>
    public static Props Props(IReadOnlyList<IActorRef> trainers, Func<PlannedTrial, GangAssignment?, int, object> runMessage, Func<TrialId, object> cancelMessage, GangSettings? gangs = null, bool reconcile = false) =>
        Akka.Actor.Props.Create(() => new SchedulerActor(trainers, runMessage, cancelMessage, gangs, reconcile));

    /// <inheritdoc />
    protected override void PreStart()
    {
        foreach (var trainer in _trainers)
        {
            Context.Watch(trainer);
            _free.Add(trainer);
        }
    }

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case RunTrial run:
                Requested(run, Sender);
                break;
            case StopTrial stop:
                _tuners[stop.Trial] = Sender;
                Stop(stop.Trial, Sender);
                break;
            case TrialReport report:
                Handle(report, Sender);
                break;
            case TrialRejected r:
                _log.Warning("scheduler: {0} rejected by {1}: {2}", r.Trial, Sender, r.Reason);
                if (_running.TryGetValue(r.Trial, out var rejected) && rejected.Pending.Contains(Sender))
                {
                    Ended(rejected, Sender, r, null);
                }

                break;
            case TrainerAttached attached:
                Attach(attached);
                break;
            case ReconcileDone:
                if (_reconciling)
                {
                    _reconciling = false;
                    _log.Info("scheduler: reconciled with {0} trainer(s); {1} trial(s) running, {2} queued", _trainers.Count, _running.Count, _queue.Count);
                    Dispatch();
                }

                break;
            case GetSchedulerStatus:
                Sender.Tell(new SchedulerStatus(_queue.Count, _running.Count, _free.Count), Self);
                break;
            case GetSchedulerAssignments:
                Sender.Tell(Assignments(), Self);
                break;
            case Terminated t:
                TrainerDied(t.ActorRef);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Requested(RunTrial request, IActorRef tuner)
    {
        var id = request.Trial.Trial;
        _tuners[id] = tuner;
        _attempts[id] = Math.Max(_attempts.GetValueOrDefault(id), request.LastAttempt);

        // Results that came before the tuner asked (a trainer's unacknowledged reports after a hand-over) go to it
        // now; a trial whose end was among them is not run again.
        var ended = false;
        if (_unrouted.Remove(id, out var waiting))
        {
            foreach (var (report, trainer) in waiting)
            {
                ToTuner(tuner, report, (IEvent)report.Body, trainer);
                ended |= report.Body is TrialFinished or TrialFailed && report.Attempt >= request.LastAttempt;
            }
        }

        if (_running.TryGetValue(id, out var run))
        {
            // A repeat comes from a tuner that restarted (a new incarnation with a new ref), or a coordinator that
            // adopted the running attempt: the trial keeps its place, and its outcomes now go to this tuner.
            run.Tuner = tuner;
            run.Plan ??= request.Trial;
            return;
        }

        var queued = _queue.FindIndex(q => q.Trial.Trial == id);
        if (queued >= 0)
        {
            _queue[queued] = (_queue[queued].Trial, tuner);
            return;
        }

        if (ended)
        {
            return;
        }

        if (_ended.TryGetValue(id, out var end) && _trainers.Contains(end.Trainer))
        {
            // The trial ended here, and its tuner asks again: it restarted before it persisted the end (a journal
            // outage). The trainer still holds the attempt's results and sends them again (ResultAck never came), so
            // the trial is not run again; a new attempt would fence off the finished one's evals. Should the trainer
            // die first, the request runs the trial (TrainerDied).
            _log.Info("scheduler: {0} ended in attempt {1} on {2}; waiting for its results again instead of running it again", id, end.Attempt, Describe(end.Trainer));
            _parked[id] = (request.Trial, tuner);
            return;
        }

        _stopped.Remove(id);
        _queue.Add((request.Trial, tuner));
        Dispatch();
    }

    private void Stop(TrialId trial, IActorRef tuner)
    {
        var queued = _queue.FindIndex(q => q.Trial.Trial == trial);
        if (queued >= 0)
        {
            _queue.RemoveAt(queued);
            tuner.Tell(new TrialFinished(trial, TrialEndReason.StoppedEarly, 0, 0), Self);
            return;
        }

        if (_running.TryGetValue(trial, out var run))
        {
            // Every rank is told, so that rank 0 ends its run as stopped early whichever rank stops the gang first.
            if (_stopped.Add(trial))
            {
                foreach (var member in run.Pending)
                {
                    member.Tell(_cancelMessage(trial), Self);
                }
            }

            return;
        }

        // Neither queued nor running: a recovered tuner stopping a trial this process never ran. It ends now.
        tuner.Tell(new TrialFinished(trial, TrialEndReason.StoppedEarly, 0, 0), Self);
    }

    /// <summary>One report of a trainer: the running attempt's progress or end, or a late one of an earlier attempt.</summary>
    private void Handle(TrialReport report, IActorRef trainer)
    {
        if (_running.TryGetValue(report.Trial, out var run) && run.Number == report.Attempt && run.Members.Contains(trainer))
        {
            var lead = run.Members[0].Equals(trainer);
            switch (report.Body)
            {
                case TrialStarted or EvalRecorded when lead:
                    ToTuner(run.Tuner, report, (IEvent)report.Body, trainer);
                    return;
                case TrialFinished or TrialFailed or TrialCancelled or GangFailed when run.Pending.Contains(trainer):
                    if (report.Body is GangFailed g)
                    {
                        _log.Warning("scheduler: {0}: gang {1} failed at {2}: {3}", g.Trial, g.GangId, trainer.Path.Name, g.Reason);
                    }

                    Ended(run, trainer, report.Body, report);
                    return;
            }

            // A checkpoint (the log has it), another rank's progress, or a repeat of an end already dealt with.
            Ack(trainer, report);
            return;
        }

        // Not the running attempt: a result of an earlier attempt (its trainer reports late, or re-sends after a
        // coordinator hand-over). The tuner fences it by the attempt and drops what it has; the rest is acknowledged.
        // A trainer that ends such an attempt and runs nothing for this scheduler is free.
        if (report.Body is TrialFinished or TrialFailed or TrialCancelled or GangFailed && _trainers.Contains(trainer)
            && !_running.Values.Any(r => r.Pending.Contains(trainer)) && _free.Add(trainer))
        {
            Dispatch();
        }

        if (report.Body is TrialStarted or EvalRecorded or TrialFinished or TrialFailed)
        {
            if (report.Body is TrialFinished or TrialFailed && _tuners.ContainsKey(report.Trial))
            {
                // The end its tuner asked again for reaches it now.
                _parked.Remove(report.Trial);
            }

            if (report.Body is TrialFinished or TrialFailed && !_running.ContainsKey(report.Trial))
            {
                var queued = _queue.FindIndex(q => q.Trial.Trial == report.Trial);
                if (queued >= 0)
                {
                    _log.Info("scheduler: {0} ended in attempt {1} while its coordinator changed; not run again", report.Trial, report.Attempt);
                    _queue.RemoveAt(queued);
                }
            }

            ToTuner(_tuners.GetValueOrDefault(report.Trial), report, (IEvent)report.Body, trainer);
            return;
        }

        _log.Debug("scheduler: {0} of attempt {1} of {2} from {3}, not a running attempt; acknowledged", report.Body.GetType().Name, report.Attempt, report.Trial, trainer.Path.Name);
        Ack(trainer, report);
    }

    private void ToTuner(IActorRef? tuner, TrialReport report, IEvent outcome, IActorRef trainer)
    {
        if (tuner is null)
        {
            // Its tuner has not asked this coordinator for the trial yet (it is recovering): kept until it does.
            if (!_unrouted.TryGetValue(report.Trial, out var waiting))
            {
                _unrouted[report.Trial] = waiting = [];
            }

            waiting.Add((report, trainer));
            return;
        }

        tuner.Tell(new AttemptOutcome(report.Attempt, report.Seq, outcome, trainer), Self);
    }

    private void Ack(IActorRef trainer, TrialReport report) => trainer.Tell(new ResultAck(report.Trial, report.Attempt, report.Seq), Self);

    private void Ended(Attempt run, IActorRef member, object end, TrialReport? report)
    {
        run.Pending.Remove(member);

        // A trainer that ended its rank is free. One that rejected the trial (it drains, or runs a trial this scheduler
        // does not know of) is not offered another until it reports an end, so the two do not bounce trials.
        if (_trainers.Contains(member) && end is not TrialRejected)
        {
            _free.Add(member);
        }

        var lead = run.Members[0].Equals(member);
        if (lead && end is TrialFinished or TrialFailed && report is not null)
        {
            // Rank 0's outcome: acknowledged by the tuner once persisted.
            run.LeadReport = report;
        }
        else if (report is not null)
        {
            Ack(member, report);
        }

        Record(run, member, end);
        Settle(run);
        Dispatch();
    }

    /// <summary>Notes one member's end: rank 0's is the trial's outcome; any other member's failure breaks the gang.</summary>
    private void Record(Attempt run, IActorRef member, object end)
    {
        var lead = run.Members[0].Equals(member);
        if (lead && end is TrialFinished or TrialFailed or TrialCancelled)
        {
            run.LeadEnd = end;
            return;
        }

        if (end is TrialFinished or TrialCancelled && !lead)
        {
            return;
        }

        var reason = end switch
        {
            GangFailed g => g.Reason,
            TrialFailed f => $"rank {run.Members.IndexOf(member)} failed alone: {f.Error}",
            TrialRejected r => $"{member.Path.Name} rejected the trial: {r.Reason}",
            string died => died,
            _ => end.ToString(),
        };
        if (run.Broken is null)
        {
            run.Broken = reason;
            if (run.Members.Count > 1)
            {
                // The other ranks would fail at their next collective anyway; told now, ranks not waiting in one stop.
                foreach (var other in run.Pending)
                {
                    other.Tell(new CancelTrial(run.TrialId), Self);
                }
            }
        }

        // One device: a rejection leaves the trial as it was, and it simply waits for a trainer again.
        if (run.Members.Count == 1 && end is TrialRejected)
        {
            run.Rejected = true;
        }
    }

    /// <summary>Once every member has ended: the tuner gets rank 0's outcome, or the trial is queued again.</summary>
    private void Settle(Attempt run)
    {
        if (run.Pending.Count > 0)
        {
            return;
        }

        var trial = run.TrialId;
        _running.Remove(trial);
        var stopped = _stopped.Remove(trial);
        switch (run.LeadEnd)
        {
            case TrialFinished f:
                // A trial cancelled because its study no longer needs it ends as stopped early unless it reached the targets first.
                Outcome(run, stopped && f.Reason != TrialEndReason.TargetsReached ? f with { Reason = TrialEndReason.StoppedEarly } : f);
                _restarts.Remove(trial);
                return;
            case TrialFailed f:
                Outcome(run, f);
                _restarts.Remove(trial);
                return;
            case TrialCancelled when run.Broken is null:
                // Paused by the trainers (shutdown, or a worker cut off from the coordinators): not over, so it waits
                // for trainers again.
                if (!stopped)
                {
                    Requeue(run, "paused");
                }

                return;
        }

        if (stopped)
        {
            run.Tuner?.Tell(new TrialFinished(trial, TrialEndReason.StoppedEarly, 0, 0), Self);
            return;
        }

        if (run.Rejected)
        {
            Requeue(run, null);
            return;
        }

        var restarts = _restarts.GetValueOrDefault(trial) + 1;
        if ((run.Members.Count > 1 || run.MemberLost) && restarts <= _gangs.MaxRestarts)
        {
            _restarts[trial] = restarts;
            _log.Warning(
                "scheduler: {0}: attempt {1} on {2} failed ({3}); running it again from its latest checkpoint (restart {4} of at most {5})",
                trial,
                run.Number,
                string.Join(", ", run.Members.Select(Describe)),
                run.Broken,
                restarts,
                _gangs.MaxRestarts);
            Requeue(run, run.MemberLost ? "member-lost" : "gang-failed");
            return;
        }

        _restarts.Remove(trial);
        var because = run.Members.Count > 1 || run.MemberLost
            ? $"it failed {restarts} times (at most {_gangs.MaxRestarts} restarts); the last time: {run.Broken}"
            : run.Broken ?? "its trainer ended without an outcome";
        Outcome(run, new TrialFailed(trial, because, null));
    }

    // The tuner gets the trial's outcome: through rank 0's report when it sent one (the tuner acknowledges it to rank
    // 0's trainer), else the scheduler's own.
    private void Outcome(Attempt run, IEvent outcome)
    {
        if (run.LeadReport is { } report)
        {
            _ended[run.TrialId] = (run.Number, run.Members[0]);
            ToTuner(run.Tuner, report, outcome, run.Members[0]);
            return;
        }

        if (run.Tuner is null)
        {
            _log.Warning("scheduler: {0} ended ({1}) before its tuner asked this coordinator for it; its tuner will ask again", run.TrialId, outcome);
            return;
        }

        run.Tuner.Tell(outcome, Self);
    }

    private void Requeue(Attempt run, string? reason)
    {
        if (reason is not null)
        {
            AlgoPerfMetrics.RecordRequeue(reason);
        }

        if (run.Plan is null || run.Tuner is null)
        {
            // An adopted attempt whose tuner has not asked yet: its request queues it when it comes.
            return;
        }

        _queue.Insert(0, (run.Plan, run.Tuner));
    }

    private void Dispatch()
    {
        if (_reconciling)
        {
            return;
        }

        var k = _gangs.DevicesPerTrial;
        if (_free.Count < k || _queue.Count == 0)
        {
            return;
        }

        // Longest budget first, so the run's tail is short; ties in queue order (plan order, a trial queued again
        // first). Ordered once per pass: a pass gives out as many trials as there are free gangs.
        var order = _queue.Select((q, i) => (q, i)).OrderByDescending(x => x.q.Trial.BudgetSec).ThenBy(x => x.i).Select(x => x.q).ToList();
        var given = new HashSet<TrialId>();
        foreach (var next in order)
        {
            var members = _free.Count >= k ? PickGang(k) : null;
            if (members is null)
            {
                break;
            }

            var trial = next.Trial;
            given.Add(trial.Trial);
            var attempt = _attempts.GetValueOrDefault(trial.Trial) + 1;
            _attempts[trial.Trial] = attempt;
            var gangId = $"{trial.Trial}#{attempt}";
            var run = new Attempt(trial.Trial, attempt, members, gangId) { Plan = trial, Tuner = next.Tuner };
            _running[trial.Trial] = run;
            _log.Info("scheduler: {0} (attempt {1}) -> {2}", trial.Trial, attempt, string.Join(", ", members.Select(Describe)));
            for (var rank = 0; rank < members.Count; rank++)
            {
                _free.Remove(members[rank]);
                var gang = k == 1 ? null : new GangAssignment(gangId, rank, members, Reducer(members), _gangs.Timeout);
                members[rank].Tell(_runMessage(trial, gang, attempt), Self);
            }
        }

        _queue.RemoveAll(q => given.Contains(q.Trial.Trial));
    }

    /// <summary>k free trainers, all on one host where one has k free (the first host with enough, by name), or across hosts when allowed; null when none fit.</summary>
    private List<IActorRef>? PickGang(int k)
    {
        if (k == 1)
        {
            return [_free.MinBy(NameOf, StringComparer.Ordinal)!];
        }

        var byHost = _free
            .OrderBy(NameOf, StringComparer.Ordinal)
            .GroupBy(t => t.Path.Address.ToString(), StringComparer.Ordinal)
            .ToList();
        var host = byHost.FirstOrDefault(h => h.Count() >= k);
        if (host is not null)
        {
            return [.. host.Take(k)];
        }

        return _gangs.AcrossHosts && _free.Count >= k
            ? [.. byHost.SelectMany(h => h).Take(k)]
            : null;
    }

    private string Reducer(IReadOnlyList<IActorRef> members) =>
        _gangs.Reducer ?? (members.Select(m => m.Path.Address).Distinct().Count() == 1 ? GangReducers.InProcess : GangReducers.Gloo);

    /// <summary>A worker's trainer, attached to this coordinator: free, or running an attempt this coordinator adopts.</summary>
    private void Attach(TrainerAttached attached)
    {
        var trainer = attached.Trainer;
        if (!_trainers.Contains(trainer))
        {
            _trainers.Add(trainer);
            Context.Watch(trainer);
        }

        _devices[trainer] = attached.Device;
        if (attached.Running is { } running)
        {
            Adopt(trainer, running);
        }
        else if (!_running.Values.Any(r => r.Pending.Contains(trainer)))
        {
            _free.Add(trainer);
        }

        foreach (var report in attached.Unacknowledged)
        {
            Handle(report, trainer);
        }

        Dispatch();
    }

    private void Adopt(IActorRef trainer, RunningAttempt running)
    {
        var id = running.Trial;
        _attempts[id] = Math.Max(_attempts.GetValueOrDefault(id), running.Attempt);
        _free.Remove(trainer);
        if (_running.TryGetValue(id, out var run))
        {
            if (run.Number != running.Attempt || !run.Members.Contains(trainer))
            {
                // Another attempt of the trial runs here already: this one is stale; it pauses, and its reports are
                // acknowledged as an earlier attempt's.
                _log.Warning("scheduler: {0} runs attempt {1} of {2}, and attempt {3} runs elsewhere; stopping it", trainer.Path, running.Attempt, id, run.Number);
                trainer.Tell(new CancelTrial(id), Self);
            }

            return;
        }

        var members = running.Gang?.Members.ToList() ?? [trainer];
        run = new Attempt(id, running.Attempt, members, running.Gang?.GangId ?? $"{id}#{running.Attempt}");
        var queued = _queue.FindIndex(q => q.Trial.Trial == id);
        if (queued >= 0)
        {
            (run.Plan, run.Tuner) = _queue[queued];
            _queue.RemoveAt(queued);
        }
        else
        {
            run.Tuner = _tuners.GetValueOrDefault(id);
        }

        foreach (var member in members)
        {
            Context.Watch(member);
        }

        _running[id] = run;
        _log.Info("scheduler: adopted attempt {0} of {1}, running on {2}", running.Attempt, id, string.Join(", ", members.Select(Describe)));
    }

    // A trainer's full path, built once (the dispatch orders free trainers by it).
    private string NameOf(IActorRef trainer)
    {
        if (!_names.TryGetValue(trainer, out var name))
        {
            _names[trainer] = name = trainer.Path.ToString();
        }

        return name;
    }

    // A trainer in the log: its name in this process, its full path on another node.
    private static string Describe(IActorRef trainer) => trainer.Path.Address.HasGlobalScope ? trainer.Path.ToString() : trainer.Path.Name;

    private SchedulerAssignments Assignments()
    {
        var byTrainer = _running.Values
            .SelectMany(r => r.Pending.Select(m => (m, r)))
            .ToDictionary(x => x.m, x => x.r);
        return new SchedulerAssignments([.. _trainers
            .OrderBy(t => t.Path.ToString(), StringComparer.Ordinal)
            .Select(t => new TrainerAssignment(
                t.Path.Address.HasGlobalScope ? t.Path.Address.ToString() : "local",
                t.Path.Name,
                _devices.GetValueOrDefault(t) ?? t.Path.Name,
                byTrainer.TryGetValue(t, out var r) ? r.TrialId : null))], _queue.Count, _running.Count);
    }

    private void TrainerDied(IActorRef trainer)
    {
        _free.Remove(trainer);
        _trainers.Remove(trainer);
        _devices.Remove(trainer);
        _names.Remove(trainer);
        // Trials that ended on it and whose tuner asks again (it missed the end): the results died with it, so they run.
        foreach (var (id, _) in _ended.Where(e => e.Value.Trainer.Equals(trainer)).ToList())
        {
            _ended.Remove(id);
            if (_parked.Remove(id, out var parked))
            {
                _queue.Add(parked);
            }
        }

        foreach (var run in _running.Values.Where(r => r.Pending.Contains(trainer)).ToList())
        {
            run.Pending.Remove(trainer);
            run.MemberLost = true;
            Record(run, trainer, $"trainer {trainer.Path} stopped while running the trial (its host died, left or was downed)");
            Settle(run);
        }

        if (!_reconciling && _free.Count < _gangs.DevicesPerTrial && _running.Count == 0 && _queue.Count > 0)
        {
            _log.Error("scheduler: too few trainers are left for a trial of {0} devices; {1} trials wait for trainers", _gangs.DevicesPerTrial, _queue.Count);
        }

        Dispatch();
    }

    /// <summary>One attempt of a running trial: its gang (one trainer on one device) and who has not ended yet.</summary>
    private sealed class Attempt(TrialId trial, int number, List<IActorRef> members, string gangId)
    {
        public TrialId TrialId { get; } = trial;

        /// <summary>The attempt number (fencing token).</summary>
        public int Number { get; } = number;

        /// <summary>The planned trial; null for an adopted attempt until its tuner asks for it.</summary>
        public PlannedTrial? Plan { get; set; }

        /// <summary>The tuner the outcomes go to; null for an adopted attempt until its tuner asks for it.</summary>
        public IActorRef? Tuner { get; set; }

        public List<IActorRef> Members { get; } = members;

        public string GangId { get; } = gangId;

        public HashSet<IActorRef> Pending { get; } = [.. members];

        /// <summary>Rank 0's outcome, once it came.</summary>
        public object? LeadEnd { get; set; }

        /// <summary>Rank 0's report of its outcome (the tuner acknowledges it to rank 0's trainer).</summary>
        public TrialReport? LeadReport { get; set; }

        /// <summary>Why the gang broke (a rank failed alone, died, or was rejected), or null.</summary>
        public string? Broken { get; set; }

        /// <summary>A member died (its host was lost): the trial runs again from its checkpoint.</summary>
        public bool MemberLost { get; set; }

        public bool Rejected { get; set; }
    }
}

/// <summary>How trials use devices: how many per trial, and the gangs' rules (HOCON <c>algoperf.benchmark</c>).</summary>
/// <param name="DevicesPerTrial">Trainers (devices) one trial trains on, data-parallel when more than one (<c>devices-per-trial</c>).</param>
/// <param name="Timeout">How long a rank waits for the others before its gang fails (<c>gang-timeout</c>).</param>
/// <param name="MaxRestarts">How often a trial's gang may fail and the trial run again from its checkpoint before the trial fails (<c>gang-restarts</c>).</param>
/// <param name="AcrossHosts">Whether a gang may span hosts when no host has enough free devices (<c>gangs-across-hosts</c>).</param>
/// <param name="Reducer">The gangs' reducer; null: in-process when a gang's trainers share a process, Gloo otherwise.</param>
public sealed record GangSettings(int DevicesPerTrial, TimeSpan Timeout, int MaxRestarts, bool AcrossHosts, string? Reducer = null)
{
    /// <summary>One device per trial.</summary>
    public static GangSettings OneDevice { get; } = new(1, TimeSpan.FromMinutes(2), 3, false);
}

/// <summary>Asks the <see cref="SchedulerActor"/> for a <see cref="SchedulerStatus"/>.</summary>
public sealed record GetSchedulerStatus;

/// <summary>Asks the <see cref="SchedulerActor"/> for its <see cref="SchedulerAssignments"/>.</summary>
public sealed record GetSchedulerAssignments;

/// <summary>What each trainer the scheduler knows runs.</summary>
/// <param name="Trainers">By trainer path.</param>
/// <param name="Queued">Trials waiting for a trainer.</param>
/// <param name="Running">Trials running (as <see cref="SchedulerStatus.Running"/>).</param>
public sealed record SchedulerAssignments(IReadOnlyList<TrainerAssignment> Trainers, int Queued, int Running);

/// <summary>One trainer and its trial.</summary>
/// <param name="Address">The trainer's actor system address ("local" in this process).</param>
/// <param name="Name">The trainer actor's name.</param>
/// <param name="Device">Its device.</param>
/// <param name="Trial">The trial it runs, or null.</param>
public sealed record TrainerAssignment(string Address, string Name, string Device, TrialId? Trial);

/// <summary>
/// Coordinator → <see cref="SchedulerActor"/>: every worker the coordinator found has attached its trainers (or the
/// reconcile time passed): trials may be given to free trainers now.
/// </summary>
public sealed record ReconcileDone
{
    /// <summary>The message.</summary>
    public static ReconcileDone Instance { get; } = new();
}

/// <summary>The scheduler's counts.</summary>
/// <param name="Queued">Trials waiting for a trainer.</param>
/// <param name="Running">Trials running.</param>
/// <param name="FreeTrainers">Trainers without a trial.</param>
public sealed record SchedulerStatus(int Queued, int Running, int FreeTrainers);
