using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Contracts.Scoring;
using AlgoPerf.Tuner.Plans;

namespace AlgoPerf.Tuner.Studies;

/// <summary>The tuner's decisions: pure functions of the state that return the events to persist, and the effects to perform.</summary>
public sealed partial class StudyState
{
    /// <summary>
    /// Plan the study: the plan's events when nothing is planned yet; nothing once a plan is persisted (the journal's
    /// plan always wins, so a restart with a changed configuration never re-plans a study).
    /// </summary>
    /// <exception cref="ArgumentException">The journal holds a plan for a different study.</exception>
    public IReadOnlyList<IEvent> DecidePlan(StudyPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (Header is not null)
        {
            return Header.Study == plan.Header.Study
                ? (IsPlanned ? [] : plan.ToEvents().Skip(1 + _trials.Count).ToList())
                : throw new ArgumentException($"this journal plans {Header.Study}, not {plan.Header.Study}", nameof(plan));
        }

        return plan.ToEvents();
    }

    /// <summary>
    /// Consume a trial outcome (<see cref="TrialStarted"/>, <see cref="EvalRecorded"/>, <see cref="TrialFinished"/>, <see cref="TrialFailed"/>):
    /// the outcome when it is new, followed by <see cref="StudyDecided"/> when it ends the study's last open trial.
    /// Duplicates, outcomes of terminal trials and anything after the decision give no events.
    /// </summary>
    /// <exception cref="ArgumentException">Not an outcome, or not a trial of this study.</exception>
    public IReadOnlyList<IEvent> DecideOutcome(IEvent outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        RequireHeader();
        var id = TrialOf(outcome);
        var trial = Trial(id) ?? throw new ArgumentException($"{id} is not a trial of study {Header!.Study}", nameof(outcome));
        if (Decision is not null || trial.IsTerminal || (outcome is EvalRecorded eval && trial.HasIdentical(eval)))
        {
            return [];
        }

        if (outcome is TrialStarted or EvalRecorded)
        {
            // A start or an eval never ends a trial, so it never completes the study.
            return [outcome];
        }

        var next = Clone();
        next.Apply(outcome);
        return next.IsPlanned && next._trials.All(t => t.IsTerminal) ? [outcome, next.Decide()] : [outcome];
    }

    /// <summary>
    /// Whether a result of attempt <paramref name="attempt"/> of a trial may be consumed (cluster delivery: results come
    /// at least once, and a trial may run again elsewhere): <see cref="AttemptVerdict.Superseded"/> when a later attempt
    /// of the trial has started (the attempt number is the fencing token), <see cref="AttemptVerdict.Duplicate"/> for a
    /// start or an eval index this attempt already recorded, else <see cref="AttemptVerdict.Admitted"/> (then
    /// <see cref="DecideOutcome"/> decides, and drops what is already known, such as a second end).
    /// </summary>
    /// <exception cref="ArgumentException">Not an outcome, or not a trial of this study.</exception>
    public AttemptVerdict Admit(IEvent outcome, int attempt)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        RequireHeader();
        var id = TrialOf(outcome);
        var trial = Trial(id) ?? throw new ArgumentException($"{id} is not a trial of study {Header!.Study}", nameof(outcome));
        if (attempt < trial.CurrentAttempt)
        {
            return AttemptVerdict.Superseded;
        }

        return outcome switch
        {
            TrialStarted when attempt == trial.CurrentAttempt && attempt > 0 => AttemptVerdict.Duplicate,
            EvalRecorded e when trial.RecordedIn(e.EvalIndex, attempt) => AttemptVerdict.Duplicate,
            _ => AttemptVerdict.Admitted,
        };
    }

    /// <summary>
    /// The study's decision over the trials as they stand (<see cref="StudySelection.Select"/> with the plan's rule):
    /// the chosen trial and its first hit, or no trial and +infinity.
    /// </summary>
    public StudyDecided Decide()
    {
        var header = RequireHeader();
        var chosen = StudySelection.Select(Outcomes(), Selection);
        return new StudyDecided(header.Study, header.Selection, chosen?.Trial, chosen?.FirstHitEvalIndex, chosen?.TimeToTargetSec ?? double.PositiveInfinity);
    }

    /// <summary>
    /// The trials to ask the runner for: planned, not terminal, and (with early stopping) still able to change the
    /// decision. After a recovery these are exactly the unfinished trials; a terminal trial is never among them.
    /// </summary>
    public IReadOnlyList<PlannedTrial> TrialsToRun()
    {
        if (!IsPlanned || Decision is not null)
        {
            return [];
        }

        var stop = TrialsToStop().ToHashSet();
        return _trials.Where(t => !t.IsTerminal && !stop.Contains(t.Plan.Trial)).Select(t => t.Plan).ToList();
    }

    /// <summary>
    /// With early stopping on: the open trials whose outcome can no longer change the decision (settled or dominated,
    /// see <see cref="EarlyStopping"/>). Empty when early stopping is off.
    /// </summary>
    public IReadOnlyList<TrialId> TrialsToStop()
    {
        var header = RequireHeader();
        if (!header.EarlyStopping || Decision is not null)
        {
            return [];
        }

        var outcomes = Outcomes();
        var best = StudySelection.Select(outcomes, Selection);
        var stop = new List<TrialId>();
        for (var i = 0; i < _trials.Count; i++)
        {
            var t = _trials[i];
            if (!t.IsTerminal && (outcomes[i].Reached || EarlyStopping.IsDominated(t.EvalCount, t.LastEvalTimeSec, best, Selection)))
            {
                stop.Add(t.Plan.Trial);
            }
        }

        return stop;
    }

    /// <summary>The trial an outcome (<see cref="TrialStarted"/>, <see cref="EvalRecorded"/>, <see cref="TrialFinished"/>, <see cref="TrialFailed"/>) is of.</summary>
    /// <exception cref="ArgumentException">Not a trial outcome.</exception>
    public static TrialId TrialOf(IEvent outcome) => outcome switch
    {
        TrialStarted s => s.Trial,
        EvalRecorded e => e.Trial,
        TrialFinished f => f.Trial,
        TrialFailed f => f.Trial,
        _ => throw new ArgumentException($"{outcome.GetType().Name} is not a trial outcome", nameof(outcome)),
    };
}

/// <summary>What <see cref="StudyState.Admit"/> says of one attempt's result.</summary>
public enum AttemptVerdict
{
    /// <summary>New for its attempt: decide on it.</summary>
    Admitted,

    /// <summary>Already recorded for this attempt (a re-sent result): drop it.</summary>
    Duplicate,

    /// <summary>A later attempt of the trial has started: refuse it.</summary>
    Superseded,
}
