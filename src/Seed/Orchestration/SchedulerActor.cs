using Akka.Actor;
using Akka.Event;
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
/// trainer pauses (<see cref="TrialCancelled"/>) or rejects (<see cref="TrialRejected"/>) goes back to the front of the
/// queue. The trainer protocol is given as two functions so the scheduler does not depend on the trainer's message
/// types. A trainer that dies is removed; a trial it ran alone is reported failed so its study can still be
/// decided.</para>
/// <para>Gangs: the k trainers of a gang are taken from one host (actor-system address) where one has k free, from
/// several only when <see cref="GangSettings.AcrossHosts"/> allows it; rank 0 is the first by name. Only rank 0's
/// progress and outcome speak for the trial; the gang's trainers are free again one by one as each reports its end,
/// and the trial's outcome is decided when all have. A gang that failed (<see cref="GangFailed"/>, a rank that
/// failed or was rejected alone, a member that died) runs the trial again from its checkpoint on a new gang, at most
/// <see cref="GangSettings.MaxRestarts"/> times; messages from an earlier attempt's trainers are not taken as the
/// new attempt's (the attempt number is part of the gang id).</para>
/// </remarks>
public sealed class SchedulerActor : UntypedActor
{
    private readonly IReadOnlyList<IActorRef> _trainers;
    private readonly Func<PlannedTrial, GangAssignment?, object> _runMessage;
    private readonly Func<TrialId, object> _cancelMessage;
    private readonly GangSettings _gangs;
    private readonly List<(PlannedTrial Trial, IActorRef Tuner)> _queue = [];
    private readonly Dictionary<TrialId, Attempt> _running = [];
    private readonly Dictionary<TrialId, int> _attempts = [];
    private readonly Dictionary<TrialId, int> _restarts = [];
    private readonly HashSet<IActorRef> _free = [];
    private readonly HashSet<TrialId> _stopped = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();

    /// <summary>Creates the scheduler (through <see cref="Props"/>).</summary>
    public SchedulerActor(IReadOnlyList<IActorRef> trainers, Func<PlannedTrial, GangAssignment?, object> runMessage, Func<TrialId, object> cancelMessage, GangSettings? gangs = null)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        ArgumentNullException.ThrowIfNull(runMessage);
        ArgumentNullException.ThrowIfNull(cancelMessage);
        if (trainers.Count == 0)
        {
            throw new ArgumentException("the scheduler needs at least one trainer", nameof(trainers));
        }

        _gangs = gangs ?? GangSettings.OneDevice;
        if (_gangs.DevicesPerTrial > trainers.Count)
        {
            throw new ArgumentException($"a trial needs {_gangs.DevicesPerTrial} devices, and there are {trainers.Count} trainers", nameof(gangs));
        }

        _trainers = trainers;
        _runMessage = runMessage;
        _cancelMessage = cancelMessage;
    }

    /// <summary>Props for a scheduler over <paramref name="trainers"/>.</summary>
    /// <param name="trainers">The trainer actors, one per device.</param>
    /// <param name="runMessage">The message that makes a trainer run (or resume) a trial, with its place in the trial's gang (null on one device), and report to its sender.</param>
    /// <param name="cancelMessage">The message that makes a trainer stop the trial it runs.</param>
    /// <param name="gangs">Devices per trial and the gangs' rules; null: one device per trial.</param>
    public static Props Props(IReadOnlyList<IActorRef> trainers, Func<PlannedTrial, GangAssignment?, object> runMessage, Func<TrialId, object> cancelMessage, GangSettings? gangs = null) =>
        Akka.Actor.Props.Create(() => new SchedulerActor(trainers, runMessage, cancelMessage, gangs));

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
                Enqueue(run.Trial, Sender);
                break;
            case StopTrial stop:
                Stop(stop.Trial, Sender);
                break;
            case TrialStarted s:
                Progress(s.Trial, s);
                break;
            case EvalRecorded e:
                Progress(e.Trial, e);
                break;
            case CheckpointSaved:
                _log.Debug("scheduler: {0}", message);
                break;
            case TrialFinished f:
                Ended(f.Trial, f);
                break;
            case TrialFailed f:
                Ended(f.Trial, f);
                break;
            case TrialCancelled c:
                Ended(c.Trial, c);
                break;
            case TrialRejected r:
                _log.Warning("scheduler: {0} rejected by {1}: {2}", r.Trial, Sender, r.Reason);
                Ended(r.Trial, r);
                break;
            case GangFailed g:
                _log.Warning("scheduler: {0}: gang {1} failed at {2}: {3}", g.Trial, g.GangId, Sender.Path.Name, g.Reason);
                Ended(g.Trial, g);
                break;
            case GetSchedulerStatus:
                Sender.Tell(new SchedulerStatus(_queue.Count, _running.Count, _free.Count), Self);
                break;
            case Terminated t:
                TrainerDied(t.ActorRef);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Enqueue(PlannedTrial trial, IActorRef tuner)
    {
        // A repeat comes from a tuner that restarted (back-off supervisor: a new incarnation with a new ref) and
        // recovered: the trial keeps its place, and its outcomes now go to the new incarnation.
        if (_running.TryGetValue(trial.Trial, out var run))
        {
            run.Tuner = tuner;
            return;
        }

        var queued = _queue.FindIndex(q => q.Trial.Trial == trial.Trial);
        if (queued >= 0)
        {
            _queue[queued] = (_queue[queued].Trial, tuner);
            return;
        }

        _stopped.Remove(trial.Trial);
        _queue.Add((trial, tuner));
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

    private void Progress(TrialId trial, IEvent outcome)
    {
        if (!_running.TryGetValue(trial, out var run) || !run.Members[0].Equals(Sender))
        {
            _log.Warning("scheduler: {0} from {1}, which does not speak for a running attempt of the trial; dropped", outcome.GetType().Name, Sender.Path.Name);
            return;
        }

        run.Tuner.Tell(outcome, Self);
    }

    private void Ended(TrialId trial, object end)
    {
        if (!_running.TryGetValue(trial, out var run) || !run.Pending.Remove(Sender))
        {
            _log.Warning("scheduler: {0} for {1} from {2}, which runs no attempt of it; dropped", end.GetType().Name, trial, Sender.Path.Name);
            return;
        }

        // A trainer that replied is free: it ended its rank, or it rejected the trial (offered again when it is free).
        _free.Add(Sender);

        Record(run, Sender, end);
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
                    other.Tell(new CancelTrial(run.Trial.Trial), Self);
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

        var trial = run.Trial.Trial;
        _running.Remove(trial);
        var stopped = _stopped.Remove(trial);
        switch (run.LeadEnd)
        {
            case TrialFinished f:
                // A trial cancelled because its study no longer needs it ends as stopped early unless it reached the targets first.
                run.Tuner.Tell(stopped && f.Reason != TrialEndReason.TargetsReached ? f with { Reason = TrialEndReason.StoppedEarly } : f, Self);
                _restarts.Remove(trial);
                return;
            case TrialFailed f:
                run.Tuner.Tell(f, Self);
                _restarts.Remove(trial);
                return;
            case TrialCancelled when run.Broken is null:
                // Paused by the trainers (shutdown): not over, so it waits for trainers again.
                if (!stopped)
                {
                    _queue.Insert(0, (run.Trial, run.Tuner));
                }

                return;
        }

        if (stopped)
        {
            run.Tuner.Tell(new TrialFinished(trial, TrialEndReason.StoppedEarly, 0, 0), Self);
            return;
        }

        if (run.Rejected)
        {
            _queue.Insert(0, (run.Trial, run.Tuner));
            return;
        }

        var restarts = _restarts.GetValueOrDefault(trial) + 1;
        if (run.Members.Count > 1 && restarts <= _gangs.MaxRestarts)
        {
            _restarts[trial] = restarts;
            _log.Warning("scheduler: {0}: gang {1} failed ({2}); running it again from its checkpoint on a new gang (restart {3} of at most {4})", trial, run.GangId, run.Broken, restarts, _gangs.MaxRestarts);
            _queue.Insert(0, (run.Trial, run.Tuner));
            return;
        }

        _restarts.Remove(trial);
        var because = run.Members.Count > 1 ? $"its gang failed {restarts} times; the last time: {run.Broken}" : run.Broken ?? "its trainer ended without an outcome";
        run.Tuner.Tell(new TrialFailed(trial, because, null), Self);
    }

    private void Dispatch()
    {
        var k = _gangs.DevicesPerTrial;
        while (_free.Count >= k && _queue.Count > 0)
        {
            // Longest budget first, so the run's tail is short; ties in plan order (workload, study, trial).
            var next = _queue
                .Select((q, i) => (q, i))
                .OrderByDescending(x => x.q.Trial.BudgetSec)
                .ThenBy(x => x.i)
                .First();
            var members = PickGang(k);
            if (members is null)
            {
                return;
            }

            _queue.RemoveAt(next.i);
            var trial = next.q.Trial;
            var attempt = _attempts.GetValueOrDefault(trial.Trial) + 1;
            _attempts[trial.Trial] = attempt;
            var gangId = $"{trial.Trial}#{attempt}";
            var run = new Attempt(trial, next.q.Tuner, members, gangId);
            _running[trial.Trial] = run;
            _log.Info("scheduler: {0} -> {1}", trial.Trial, string.Join(", ", members.Select(m => m.Path.Name)));
            for (var rank = 0; rank < members.Count; rank++)
            {
                _free.Remove(members[rank]);
                var gang = k == 1 ? null : new GangAssignment(gangId, rank, members, Reducer(members), _gangs.Timeout);
                members[rank].Tell(_runMessage(trial, gang), Self);
            }
        }
    }

    /// <summary>k free trainers, all on one host where one has k free (the first host with enough, by name), or across hosts when allowed; null when none fit.</summary>
    private List<IActorRef>? PickGang(int k)
    {
        var byHost = _free
            .OrderBy(t => t.Path.ToString(), StringComparer.Ordinal)
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

    private void TrainerDied(IActorRef trainer)
    {
        _free.Remove(trainer);
        foreach (var run in _running.Values.Where(r => r.Pending.Contains(trainer)).ToList())
        {
            run.Pending.Remove(trainer);
            Record(run, trainer, $"trainer {trainer} stopped while running the trial");
            Settle(run);
        }

        if (_free.Count < _gangs.DevicesPerTrial && _running.Count == 0 && _queue.Count > 0)
        {
            _log.Error("scheduler: too few trainers are left for a trial of {0} devices; {1} trials cannot run", _gangs.DevicesPerTrial, _queue.Count);
        }

        Dispatch();
    }

    /// <summary>One attempt of a running trial: its gang (one trainer on one device) and who has not ended yet.</summary>
    private sealed class Attempt(PlannedTrial trial, IActorRef tuner, List<IActorRef> members, string gangId)
    {
        public PlannedTrial Trial { get; } = trial;

        public IActorRef Tuner { get; set; } = tuner;

        public List<IActorRef> Members { get; } = members;

        public string GangId { get; } = gangId;

        public HashSet<IActorRef> Pending { get; } = [.. members];

        /// <summary>Rank 0's outcome, once it came.</summary>
        public object? LeadEnd { get; set; }

        /// <summary>Why the gang broke (a rank failed alone, died, or was rejected), or null.</summary>
        public string? Broken { get; set; }

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

/// <summary>The scheduler's counts.</summary>
/// <param name="Queued">Trials waiting for a trainer.</param>
/// <param name="Running">Trials running.</param>
/// <param name="FreeTrainers">Trainers without a trial.</param>
public sealed record SchedulerStatus(int Queued, int Running, int FreeTrainers);
