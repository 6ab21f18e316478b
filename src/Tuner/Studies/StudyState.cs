using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Contracts.Scoring;
using AlgoPerf.Tuner.Plans;

namespace AlgoPerf.Tuner.Studies;

/// <summary>
/// The state of one study as its tuner's journal defines it, and the tuner's decisions as pure functions of it
/// (event sourcing: <see cref="Apply"/> folds an event in; the <c>Decide*</c> methods turn a command into the
/// events to persist, without changing the state). Replaying the journal with <see cref="Replay"/> rebuilds exactly
/// the state the tuner had, so recovery never re-plans, never re-runs a terminal trial, and re-requests the rest
/// (<see cref="TrialsToRun"/>).
/// </summary>
/// <remarks>
/// Events: <see cref="StudyPlanned"/> then its <see cref="TrialPlanned"/>s (the plan, written once), then the
/// outcomes the tuner consumed (<see cref="EvalRecorded"/>, <see cref="TrialFinished"/>, <see cref="TrialFailed"/>),
/// and finally <see cref="StudyDecided"/>. Duplicate outcomes (a redelivered message) decide to nothing.
/// </remarks>
public sealed partial class StudyState
{
    private readonly List<TrialProgress> _trials = [];

    /// <summary>The plan header, or null before the plan is persisted.</summary>
    public StudyPlanned? Header { get; private set; }

    /// <summary>The study, once planned.</summary>
    public StudyId? Study => Header?.Study;

    /// <summary>The trials, in trial order.</summary>
    public IReadOnlyList<TrialProgress> Trials => _trials;

    /// <summary>True once the header and all its trials are persisted.</summary>
    public bool IsPlanned => Header is not null && _trials.Count == Header.TrialCount;

    /// <summary>The decision, once made.</summary>
    public StudyDecided? Decision { get; private set; }

    /// <summary>The study's selection rule (from the plan).</summary>
    public StudySelectionRule Selection => StudySelectionRules.Parse(RequireHeader().Selection);

    /// <summary>Rebuilds the state from a journal's events, in order.</summary>
    public static StudyState Replay(IEnumerable<IEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var state = new StudyState();
        foreach (var e in events)
        {
            state.Apply(e);
        }

        return state;
    }

    /// <summary>Folds one persisted event into the state.</summary>
    /// <exception cref="InvalidDataException">The event contradicts the journal so far (a second plan, an unknown trial, a trial out of order).</exception>
    public void Apply(IEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        switch (e)
        {
            case StudyPlanned header:
                if (Header is not null && Header != header)
                {
                    throw new InvalidDataException($"study {Header.Study}: the journal holds a second, different plan header");
                }

                Header = header;
                break;
            case TrialPlanned planned:
                var header2 = RequireHeader();
                var expected = header2.Study.Trial(_trials.Count + 1);
                if (planned.Trial != expected || _trials.Count >= header2.TrialCount)
                {
                    throw new InvalidDataException($"study {header2.Study}: unexpected {planned.Trial} in the plan (expected {(_trials.Count < header2.TrialCount ? expected : "no more trials")})");
                }

                _trials.Add(new TrialProgress(PlannedTrial.FromEvent(planned)));
                break;
            case TrialStarted started:
                // A start (or resume) on a trainer: recorded for the read side (status, dashboard, device time) and
                // as the trial's current attempt (the fencing token); it changes nothing the study is decided on.
                RequireTrial(started.Trial).Started(started.Attempt);
                break;
            case EvalRecorded eval:
                RequireTrial(eval.Trial).Record(eval);
                break;
            case TrialFinished finished:
                RequireTrial(finished.Trial).Finish(finished.Reason);
                break;
            case TrialFailed failed:
                RequireTrial(failed.Trial).Fail(failed.Error);
                break;
            case StudyDecided decided:
                Decision = decided;
                break;
            default:
                throw new InvalidDataException($"a study journal holds no {e.GetType().Name} events");
        }
    }

    /// <summary>The trial of this study with that id, or null when it is not part of the plan.</summary>
    public TrialProgress? Trial(TrialId id) => _trials.FirstOrDefault(t => t.Plan.Trial == id);

    /// <summary>Each trial's outcome over the evals recorded so far, in trial order (the input of the study selection).</summary>
    public IReadOnlyList<TrialOutcome> Outcomes()
    {
        var h = RequireHeader();
        return _trials.Select(t => TrialOutcome.From(t.Number, t.FirstHit(h.ValidationMetric, h.Direction, h.ValidationTarget))).ToList();
    }

    private StudyPlanned RequireHeader() =>
        Header ?? throw new InvalidOperationException("the study has no plan yet");

    private TrialProgress RequireTrial(TrialId id) =>
        Trial(id) ?? throw new InvalidDataException($"{id} is not a trial of study {Header?.Study.ToString() ?? "(unplanned)"}");

    private StudyState Clone()
    {
        var copy = new StudyState { Header = Header, Decision = Decision };
        copy._trials.AddRange(_trials.Select(t => t.Clone()));
        return copy;
    }
}
