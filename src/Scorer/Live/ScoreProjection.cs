using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Contracts.Scoring;

namespace AlgoPerf.Scorer.Live;

/// <summary>
/// The live scorer's state: a pure projection over the journal's <see cref="EvalRecorded"/>, <see cref="TrialFinished"/>,
/// <see cref="TrialFailed"/> and <see cref="StudyDecided"/> events. Idempotent (an eval is keyed by trial and eval
/// index, an end or a decision by its trial or study, so a redelivered event changes nothing) and rebuildable from
/// scratch by <see cref="Replay"/>. <see cref="Snapshot"/> scores the pool with the reference procedure; see
/// <c>ScoreProjection.Bounds.cs</c> for the provisional, best-case and worst-case rules.
/// </summary>
public sealed partial class ScoreProjection
{
    private readonly Dictionary<TrialId, TrialProgress> _trials = [];
    private readonly Dictionary<StudyId, SortedSet<int>> _trialsByStudy = [];
    private readonly Dictionary<StudyId, StudyDecided> _decided = [];
    private readonly List<string> _submissions = [];
    private readonly HashSet<string> _scored;

    /// <summary>An empty projection.</summary>
    public ScoreProjection(LiveScoringSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        Setup = setup;
        _scored = [.. setup.Options.BaseWorkloads, .. setup.Options.HeldOutWorkloads];
        foreach (var s in setup.Submissions)
        {
            AddSubmission(s);
        }
    }

    /// <summary>The setup.</summary>
    public LiveScoringSetup Setup { get; }

    /// <summary>Submissions in the pool, in the order they became known.</summary>
    public IReadOnlyList<string> Submissions => _submissions;

    /// <summary>A projection rebuilt from a full event history.</summary>
    public static ScoreProjection Replay(LiveScoringSetup setup, IEnumerable<IEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var projection = new ScoreProjection(setup);
        foreach (var e in events)
        {
            projection.Apply(e);
        }

        return projection;
    }

    /// <summary>Applies one event; true when the state changed (false for redeliveries and irrelevant events).</summary>
    public bool Apply(IEvent e) => e switch
    {
        EvalRecorded r => ApplyEval(r),
        TrialFinished f => End(f.Trial),
        TrialFailed f => End(f.Trial),
        StudyDecided d => Decide(d),
        _ => false,
    };

    private bool ApplyEval(EvalRecorded e)
    {
        var target = Setup.Targets.Find(e.Trial.Workload);
        if (target is null || !Scored(e.Trial.Workload))
        {
            return false;
        }

        var metric = e.Metrics.TryGetValue(target.MetricKey, out var v) ? v : double.NaN;
        return Trial(e.Trial).TryAdd(e.EvalIndex, e.SubmissionTimeSec, metric);
    }

    private bool End(TrialId id)
    {
        if (!Scored(id.Workload))
        {
            return false;
        }

        var trial = Trial(id);
        if (trial.Ended)
        {
            return false;
        }

        trial.Ended = true;
        return true;
    }

    private bool Decide(StudyDecided d)
    {
        if (!Scored(d.Study.Workload) || _decided.ContainsKey(d.Study))
        {
            return false;
        }

        _decided[d.Study] = d;
        AddSubmission(d.Study.Submission);
        return true;
    }

    private bool Scored(string workload) => _scored.Contains(workload);

    private TrialProgress Trial(TrialId id)
    {
        if (!_trials.TryGetValue(id, out var trial))
        {
            trial = new TrialProgress();
            _trials[id] = trial;
            if (!_trialsByStudy.TryGetValue(id.StudyId, out var numbers))
            {
                numbers = [];
                _trialsByStudy[id.StudyId] = numbers;
            }

            numbers.Add(id.Trial);
            AddSubmission(id.Submission);
        }

        return trial;
    }

    private void AddSubmission(string submission)
    {
        if (!_submissions.Contains(submission, StringComparer.Ordinal))
        {
            _submissions.Add(submission);
        }
    }

    private StudySelectionRule Rule => Setup.Options.Selection;

    /// <summary><paramref name="next"/> when it differs from <paramref name="last"/> in finality or any submission's scores, else null.</summary>
    public static ScoresChanged? Differs(ScoresChanged? last, ScoresChanged next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (last is null || last.Final != next.Final || last.Ruleset != next.Ruleset || last.Scores.Count != next.Scores.Count)
        {
            return next;
        }

        foreach (var (name, score) in next.Scores)
        {
            if (!last.Scores.TryGetValue(name, out var before) || before != score)
            {
                return next;
            }
        }

        return null;
    }
}
