using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Contracts.Rules;

namespace AlgoPerf.Scorer.Live;

/// <summary>
/// The read side of a run for people: a pure projection over the journal's events and their write times that keeps,
/// beside the live scorer's <see cref="ScoreProjection"/> (<see cref="Scores"/>, fed the same events), every trial's
/// state and validation curve, every study's decision and the run's sessions. <see cref="View"/> turns it into a
/// <see cref="RunView"/>. Idempotent like the score projection: a redelivered eval, end or decision changes nothing.
/// </summary>
public sealed class RunProjection
{
    private readonly IReadOnlyList<string> _workloads;
    private readonly Dictionary<TrialId, Trial> _trials = [];
    private readonly Dictionary<StudyId, StudyDecided> _decided = [];
    private readonly List<Session> _sessions = [];

    /// <summary>An empty projection of a run of <see cref="LiveScoringSetup.RunWorkloads"/> scored by <paramref name="setup"/>.</summary>
    public RunProjection(LiveScoringSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        Setup = setup;
        _workloads = setup.RunWorkloads;
        Scores = new ScoreProjection(setup);
    }

    /// <summary>The setup.</summary>
    public LiveScoringSetup Setup { get; }

    /// <summary>The live scores over the same events.</summary>
    public ScoreProjection Scores { get; }

    /// <summary>Events applied so far.</summary>
    public long Version { get; private set; }

    /// <summary>Applies one event written at <paramref name="storedAt"/>; true when the score projection changed.</summary>
    public bool Apply(IEvent e, DateTimeOffset storedAt)
    {
        ArgumentNullException.ThrowIfNull(e);
        Version++;
        if (e is RunSessionStarted s)
        {
            _sessions.Add(new Session(storedAt, s.Trainers, s.DevicesPerTrial));
        }
        else if (_sessions.Count > 0 && storedAt > _sessions[^1].LastEventAt)
        {
            // The latest session was alive at least until its last event (a killed process writes nothing after it).
            _sessions[^1].LastEventAt = storedAt;
        }

        switch (e)
        {
            case TrialPlanned p:
                TrialOf(p.Trial).BudgetSec = p.BudgetSec;
                break;
            case TrialStarted t:
                var started = TrialOf(t.Trial);
                if (!started.Ended)
                {
                    started.Attempts.Add(new Attempt(storedAt) { LastSeen = storedAt });
                }

                break;
            case EvalRecorded r:
                var trial = TrialOf(r.Trial);
                trial.Seen(storedAt);
                if (trial.EvalIndexes.Add(r.EvalIndex))
                {
                    var target = Setup.Targets.Find(r.Trial.Workload);
                    trial.Step = Math.Max(trial.Step, r.GlobalStep);
                    trial.SubmissionTimeSec = Math.Max(trial.SubmissionTimeSec, r.SubmissionTimeSec);
                    if (target is not null && r.Metrics.TryGetValue(target.MetricKey, out var value))
                    {
                        trial.Curve.Add((r.EvalIndex, new CurvePoint(r.SubmissionTimeSec, value)));
                    }
                }

                break;
            case TrialFinished f:
                End(f.Trial, storedAt, f.Reason.ToString(), failed: false, f.SubmissionTimeSec);
                break;
            case TrialFailed f:
                End(f.Trial, storedAt, f.Error, failed: true, null);
                break;
            case StudyDecided d:
                _decided.TryAdd(d.Study, d);
                break;
        }

        return Scores.Apply(e);
    }

    private void End(TrialId id, DateTimeOffset at, string reason, bool failed, double? submissionTime)
    {
        var trial = TrialOf(id);
        if (trial.Ended)
        {
            return;
        }

        trial.Seen(at);
        trial.Ended = true;
        trial.Failed = failed;
        trial.EndReason = reason;
        if (trial.Attempts.Count > 0)
        {
            trial.Attempts[^1].EndedAt = at;
        }

        if (submissionTime is > 0)
        {
            trial.SubmissionTimeSec = Math.Max(trial.SubmissionTimeSec, submissionTime.Value);
        }
    }

    private Trial TrialOf(TrialId id)
    {
        if (!_trials.TryGetValue(id, out var trial))
        {
            trial = new Trial();
            _trials[id] = trial;
        }

        return trial;
    }

    /// <summary>
    /// The run as of <paramref name="now"/>. <paramref name="live"/>: a process is running it, so open trials that
    /// started are running (else paused) and the latest session lasts until now (else until its last event).
    /// </summary>
    public RunView View(DateTimeOffset now, bool live)
    {
        var studies = new List<StudyView>();
        var trials = new List<TrialView>();
        var byState = TrialStates.All.ToDictionary(s => s, _ => 0, StringComparer.Ordinal);
        var studiesPer = Setup.StudiesPerWorkload;
        var trialsPer = Setup.TrialsPerStudy;
        var submissions = Scores.Submissions;
        foreach (var submission in submissions)
        {
            foreach (var workload in _workloads)
            {
                var target = Setup.Targets.Find(workload);
                for (var k = 0; k < studiesPer; k++)
                {
                    var study = new StudyId(submission, workload, k);
                    _decided.TryGetValue(study, out var decision);
                    var ended = 0;
                    for (var n = 1; n <= trialsPer; n++)
                    {
                        var id = study.Trial(n);
                        if (!_trials.TryGetValue(id, out var t))
                        {
                            byState[TrialStates.Pending]++;
                            continue;
                        }

                        var state = t.Ended ? (t.Failed ? TrialStates.Failed : TrialStates.Finished)
                            : t.Attempts.Count == 0 ? TrialStates.Pending
                            : live ? TrialStates.Running : TrialStates.Paused;
                        byState[state]++;
                        ended += t.Ended ? 1 : 0;
                        var minimize = target?.Direction == MetricDirection.Minimize;
                        var curve = t.Curve.OrderBy(c => c.Index).Select(c => c.Point).ToList();
                        double? hit = target is null ? null
                            : curve.FirstOrDefault(c => MetricDirections.Meets(target.Direction, c.Metric, target.Target))?.TimeSec;
                        trials.Add(new TrialView(
                            submission,
                            workload,
                            k,
                            n,
                            state,
                            t.BudgetSec,
                            t.Step,
                            t.SubmissionTimeSec,
                            target?.MetricKey ?? string.Empty,
                            target?.Target ?? double.NaN,
                            minimize,
                            curve.Count > 0 ? curve[^1].Metric : null,
                            hit,
                            t.Attempts.Count,
                            t.EndReason,
                            decision?.ChosenTrial == n,
                            curve));
                    }

                    studies.Add(new StudyView(submission, workload, k, trialsPer, ended, decision is not null, decision?.ChosenTrial, decision?.TimeToTargetSec));
                }
            }
        }

        var total = submissions.Count * _workloads.Count * studiesPer * trialsPer;
        var allDecided = studies.Count > 0 && studies.All(s => s.Decided);
        var (busy, trainers) = BusyFraction(now, live && !allDecided);
        return new RunView(
            now,
            Version,
            total,
            byState,
            studies,
            trials,
            Scores.Snapshot(),
            allDecided,
            busy,
            trainers,
            _sessions.Count > 0 ? _sessions[0].StartedAt : null,
            allDecided ? null : Eta(trials, _sessions.Count > 0 ? trainers / _sessions[^1].DevicesPerTrial : 0),
            Scores.Provisional());
    }

    /// <summary>
    /// Trainer time inside trials over the trainers' time in the sessions. A session lasts from its start to the next
    /// one's, cut at its own last event (a killed process writes nothing after it); the latest lasts until now while
    /// the run goes. A trial's attempt lasts from its start to its end, or, when it never ended (its process stopped),
    /// to its last event in that session.
    /// </summary>
    private (double? Busy, int Trainers) BusyFraction(DateTimeOffset now, bool going)
    {
        if (_sessions.Count == 0)
        {
            return (null, 0);
        }

        var allAttempts = _trials.Values.SelectMany(t => t.Attempts).ToList();
        double available = 0, inside = 0;
        for (var i = 0; i < _sessions.Count; i++)
        {
            var start = _sessions[i].StartedAt;
            var next = i + 1 < _sessions.Count ? _sessions[i + 1].StartedAt : DateTimeOffset.MaxValue;
            var last = i + 1 == _sessions.Count && going ? now : _sessions[i].LastEventAt;
            foreach (var a in allAttempts.Where(a => a.StartedAt >= start && a.StartedAt < next))
            {
                var end = a.EndedAt is { } e && e < next ? e : i + 1 == _sessions.Count && going ? now : a.LastSeen;
                // A gang's trial holds its devices-per-trial trainers for as long as it runs.
                inside += _sessions[i].DevicesPerTrial * Math.Max(0, (end - a.StartedAt).TotalSeconds);
                last = end > last ? end : last;
            }

            available += _sessions[i].Trainers * Math.Max(0, (last - start).TotalSeconds);
        }

        return (available > 0 ? Math.Min(1.0, inside / available) : null, _sessions[^1].Trainers);
    }

    /// <summary>The open trials' remaining budgets, at the wall time per submission second the ended ones took, over the trials that run at once (trainers, or gangs of them).</summary>
    private double? Eta(IReadOnlyList<TrialView> trials, int trainers)
    {
        double wall = 0, submission = 0;
        foreach (var t in _trials.Values.Where(t => t.Ended && t.Attempts.Count > 0 && t.SubmissionTimeSec > 0))
        {
            wall += t.Attempts.Sum(a => ((a.EndedAt ?? a.LastSeen) - a.StartedAt).TotalSeconds);
            submission += t.SubmissionTimeSec;
        }

        if (submission <= 0 || trainers <= 0)
        {
            return null;
        }

        var planned = _trials.Values.Where(t => t.BudgetSec > 0).Select(t => t.BudgetSec).DefaultIfEmpty(0).Average();
        var remaining = trials.Where(t => t.State is not (TrialStates.Finished or TrialStates.Failed)).Sum(t => Math.Max(0, t.BudgetSec - t.SubmissionTimeSec));
        remaining += (Scores.Submissions.Count * _workloads.Count * Setup.StudiesPerWorkload * Setup.TrialsPerStudy - trials.Count) * planned;
        return remaining * (wall / submission) / trainers;
    }

    /// <summary>A start of the run, its trainers and devices per trial, and the write time of its last event so far.</summary>
    private sealed class Session(DateTimeOffset startedAt, int trainers, int devicesPerTrial)
    {
        public DateTimeOffset StartedAt { get; } = startedAt;

        public int Trainers { get; } = trainers;

        public int DevicesPerTrial { get; } = Math.Max(1, devicesPerTrial);

        public DateTimeOffset LastEventAt { get; set; } = startedAt;
    }

    private sealed class Attempt(DateTimeOffset startedAt)
    {
        public DateTimeOffset StartedAt { get; } = startedAt;

        public DateTimeOffset LastSeen { get; set; }

        public DateTimeOffset? EndedAt { get; set; }
    }

    private sealed class Trial
    {
        public double BudgetSec { get; set; }

        public long Step { get; set; }

        public double SubmissionTimeSec { get; set; }

        public bool Ended { get; set; }

        public bool Failed { get; set; }

        public string? EndReason { get; set; }

        public List<Attempt> Attempts { get; } = [];

        public HashSet<int> EvalIndexes { get; } = [];

        public List<(int Index, CurvePoint Point)> Curve { get; } = [];

        public void Seen(DateTimeOffset at)
        {
            if (Attempts.Count > 0 && Attempts[^1].EndedAt is null && at > Attempts[^1].LastSeen)
            {
                Attempts[^1].LastSeen = at;
            }
        }
    }
}
