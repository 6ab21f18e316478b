using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Contracts.Scoring;
using AlgoPerf.Scorer.Input;
using AlgoPerf.Scorer.Live;
using AlgoPerf.Scorer.Model;
using AlgoPerf.Scorer.Procedure;
using AlgoPerf.Scorer.Tests.Fixtures;

namespace AlgoPerf.Scorer.Tests.Live;

public sealed class ScoreProjectionTests
{
    private const double Inf = double.PositiveInfinity;

    // One workload "wmt" (bleu, maximised, target 30.8491), one study of one trial per submission unless told.
    private static LiveScoringSetup Setup(StudySelectionRule rule = StudySelectionRule.Reference, int studies = 1, int trials = 1) => new(
        "external_tuning",
        WorkloadTargets.FromRules(RulesVersions.V06),
        new ScoringOptions(["wmt"], [], rule),
        studies,
        trials,
        []);

    private static EvalRecorded Eval(string sub, int study, int trial, int index, double time, double bleu) =>
        new(new TrialId(sub, "wmt", study, trial), index, index * 100, time, 0, new Dictionary<string, double> { ["validation/bleu"] = bleu });

    [Fact]
    public void Replay_PublishedFixtureAsEvents_FinalScoresEqualBatchScoring()
    {
        var trials = TrialTableReader.Read(FixtureFiles.Trials).Where(t => t.Ruleset == "external_tuning").ToList();
        var setup = LiveScoringSetup.FromRules(RulesVersions.V06, Ruleset.ExternalTuning, StudySelectionRule.Reference, []);
        // Trials that left no measurements in the published logs (one baseline imagenet_vit study has 4 of 5) failed.
        var failed = trials.GroupBy(t => (t.Submission, t.Workload, t.Study))
            .SelectMany(g => Enumerable.Range(1, 5).Except(g.Select(t => t.Trial))
                .Select(n => new TrialFailed(new TrialId(g.Key.Submission, g.Key.Workload, int.Parse(g.Key.Study, System.Globalization.CultureInfo.InvariantCulture), n), "no measurements", null)))
            .ToList();
        var events = FixtureEvents(trials).Concat(failed).ToList();

        var snapshot = ScoreProjection.Replay(setup, events).Snapshot();
        var batch = ScoringPipeline.Score("external_tuning", trials, setup.Options);

        Assert.NotEmpty(failed);
        Assert.True(snapshot.Final);
        foreach (var sub in batch.Submissions)
        {
            var score = snapshot.Scores[sub];
            Assert.Equal(batch.ScoreOf(sub), score.Score);
            Assert.Equal(score.Score, score.BestCase);
            Assert.Equal(score.Score, score.WorstCase);
        }

        Assert.Equal("0.6244", snapshot.Scores["shampoo"].Score.ToString("F4", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Apply_EveryEventDeliveredTwice_SameStateAndDuplicatesReportNoChange()
    {
        var trials = TrialTableReader.Read(FixtureFiles.Trials).Where(t => t.Ruleset == "self_tuning").ToList();
        var setup = LiveScoringSetup.FromRules(RulesVersions.V06, Ruleset.SelfTuning, StudySelectionRule.Reference, []);
        var once = ScoreProjection.Replay(setup, FixtureEvents(trials)).Snapshot();
        var twice = new ScoreProjection(setup);

        foreach (var e in FixtureEvents(trials))
        {
            Assert.True(twice.Apply(e));
            Assert.False(twice.Apply(e));
        }

        Assert.Equal(once.Scores.ToList(), twice.Snapshot().Scores.ToList());
        Assert.Equal(0.75, twice.Snapshot().Scores["schedule_free_adamw_v2"].Score, 12);
    }

    [Fact]
    public void Replay_StreamsInterleavedDifferently_SameSnapshot()
    {
        var trials = TrialTableReader.Read(FixtureFiles.Trials).Where(t => t.Ruleset == "external_tuning").ToList();
        var setup = LiveScoringSetup.FromRules(RulesVersions.V06, Ruleset.ExternalTuning, StudySelectionRule.Reference, []);
        var forward = ScoreProjection.Replay(setup, FixtureEvents(trials)).Snapshot();
        var reversedStreams = ScoreProjection.Replay(setup, FixtureEvents(Enumerable.Reverse(trials).ToList())).Snapshot();

        Assert.Equal(forward.Scores.OrderBy(k => k.Key).ToList(), reversedStreams.Scores.OrderBy(k => k.Key).ToList());
    }

    [Fact]
    public void Snapshot_RunningRival_BestAndWorstCaseBracketProvisional()
    {
        var p = new ScoreProjection(Setup());
        p.Apply(Eval("a", 0, 1, 0, 10, 31.0));
        p.Apply(new TrialFinished(new TrialId("a", "wmt", 0, 1), TrialEndReason.TargetsReached, 100, 10));
        p.Apply(Eval("b", 0, 1, 0, 5, 20.0));

        var s = p.Snapshot();

        Assert.False(s.Final);
        Assert.Equal(new SubmissionScore(1.0, 1.0, s.Scores["a"].WorstCase), s.Scores["a"] with { Score = Math.Round(s.Scores["a"].Score, 12), BestCase = Math.Round(s.Scores["a"].BestCase, 12) });
        // a's worst case: b hits at its next eval no sooner than 5 s, so a's ratio is 2.
        var ratioTwo = PerformanceProfile.Score(PerformanceProfile.Rho(RatioTable(2.0), 0, RulesVersion.TauGrid(), 1), RulesVersion.TauGrid(), 2);
        Assert.Equal(ratioTwo, s.Scores["a"].WorstCase);
        Assert.Equal(0.0, s.Scores["b"].Score);
        Assert.Equal(0.0, s.Scores["b"].WorstCase);
        Assert.Equal(1.0, s.Scores["b"].BestCase, 12);
    }

    private static TimeTable RatioTable(double ratio)
    {
        var t = new TimeTable(["x"], ["wmt"]);
        t[0, 0] = ratio;
        return t;
    }

    [Fact]
    public void StudyTimes_ReferenceRule_LaterIndexCannotBeatCurrentChoice()
    {
        var reference = new ScoreProjection(Setup(StudySelectionRule.Reference, trials: 2));
        var fastest = new ScoreProjection(Setup(StudySelectionRule.Fastest, trials: 2));
        foreach (var p in new[] { reference, fastest })
        {
            p.Apply(Eval("a", 0, 1, 0, 50, 10));
            p.Apply(Eval("a", 0, 1, 1, 60, 10));
            p.Apply(Eval("a", 0, 1, 2, 70, 10));
            p.Apply(Eval("a", 0, 2, 0, 100, 10));
            p.Apply(Eval("a", 0, 2, 1, 200, 31));
        }

        var study = new StudyId("a", "wmt", 0);

        // Trial 2 hit at index 1 (200 s). Trial 1 runs on: its next eval is index 3, at 70 s or later.
        Assert.Equal(new LiveStudyTimes(200, 200, false), reference.StudyTimes(study));
        Assert.Equal(new LiveStudyTimes(200, 70, false), fastest.StudyTimes(study));
    }

    [Fact]
    public void StudyTimes_PlannedTrialWithoutEvents_CanStillWinFromZero()
    {
        var p = new ScoreProjection(Setup(trials: 2));
        p.Apply(Eval("a", 0, 1, 3, 100, 31));

        Assert.Equal(new LiveStudyTimes(100, 0, false), p.StudyTimes(new StudyId("a", "wmt", 0)));
    }

    [Fact]
    public void StudyTimes_AllTrialsEnded_Finished()
    {
        var p = new ScoreProjection(Setup(trials: 2));
        p.Apply(Eval("a", 0, 1, 0, 100, 31));
        p.Apply(Eval("a", 0, 2, 0, 40, 10));
        Assert.False(p.StudyTimes(new StudyId("a", "wmt", 0)).Finished);

        Assert.True(p.Apply(new TrialFailed(new TrialId("a", "wmt", 0, 2), "boom", null)));
        Assert.False(p.Apply(new TrialFailed(new TrialId("a", "wmt", 0, 2), "boom", null)));

        Assert.Equal(new LiveStudyTimes(100, 100, true), p.StudyTimes(new StudyId("a", "wmt", 0)));
        Assert.True(p.Snapshot().Final);
    }

    [Fact]
    public void StudyDecided_OverridesTrialsAndFinishesStudy()
    {
        var p = new ScoreProjection(Setup(trials: 2));
        p.Apply(Eval("a", 0, 1, 0, 100, 31));
        var decided = new StudyDecided(new StudyId("a", "wmt", 0), "reference", 1, 0, 100);

        Assert.True(p.Apply(decided));
        Assert.False(p.Apply(decided));

        Assert.Equal(new LiveStudyTimes(100, 100, true), p.StudyTimes(decided.Study));
        Assert.True(p.Snapshot().Final);
    }

    [Fact]
    public void Snapshot_NoHitYet_ProvisionalInfinityScoresZero()
    {
        var p = new ScoreProjection(Setup(studies: 3, trials: 5) with { Submissions = ["a"] });

        var s = p.Snapshot();

        Assert.Equal(0.0, s.Scores["a"].Score);
        Assert.Equal(0.0, s.Scores["a"].WorstCase);
        Assert.Equal(1.0, s.Scores["a"].BestCase, 12);
        Assert.False(s.Final);
    }

    [Fact]
    public void Apply_UnscoredWorkloadOrOtherEvents_Ignored()
    {
        var p = new ScoreProjection(Setup());

        Assert.False(p.Apply(new EvalRecorded(new TrialId("a", "ogbg", 0, 1), 0, 1, 1, 0, new Dictionary<string, double>())));
        Assert.False(p.Apply(new TrialStarted(new TrialId("a", "wmt", 0, 1), 0, 0)));
        Assert.Empty(p.Submissions);
    }

    [Fact]
    public void Apply_EvalWithoutTargetMetric_NeverHits()
    {
        var p = new ScoreProjection(Setup());
        p.Apply(new EvalRecorded(new TrialId("a", "wmt", 0, 1), 0, 1, 5, 0, new Dictionary<string, double> { ["validation/loss"] = 0.1 }));
        p.Apply(new TrialFinished(new TrialId("a", "wmt", 0, 1), TrialEndReason.BudgetExhausted, 1, 5));

        Assert.Equal(new LiveStudyTimes(Inf, Inf, true), p.StudyTimes(new StudyId("a", "wmt", 0)));
    }

    /// <summary>Each fixture trial as a stream: evals up to one past its first hit (or four misses), then TrialFinished.</summary>
    internal static IEnumerable<IEvent> FixtureEvents(IReadOnlyList<TrialRecord> trials)
    {
        foreach (var t in trials)
        {
            var spec = RulesVersions.V06.Workload(t.Workload);
            var id = new TrialId(t.Submission, t.Workload, int.Parse(t.Study, System.Globalization.CultureInfo.InvariantCulture), t.Trial);
            var miss = spec.Direction == MetricDirection.Minimize ? spec.ValidationTarget * 2 : spec.ValidationTarget / 2;
            var evals = (t.FirstHitEvalIndex ?? 3) + 2;
            for (var i = 0; i < evals; i++)
            {
                var hit = i == t.FirstHitEvalIndex;
                var time = hit ? t.TimeToTargetSec : (t.FirstHitEvalIndex is { } h && i > h ? t.TimeToTargetSec + i : i);
                yield return new EvalRecorded(id, i, i * 100, time, 0, new Dictionary<string, double> { [spec.ValidationMetricKey] = hit ? spec.ValidationTarget : miss });
            }

            yield return new TrialFinished(id, TrialEndReason.BudgetExhausted, evals * 100, 0);
        }
    }

    [Fact]
    public void Differs_SameScores_NullOtherwiseTheNewScores()
    {
        var a = new ScoresChanged("r", new Dictionary<string, SubmissionScore> { ["x"] = new(0.5, 1, 0) }, false);
        var b = new ScoresChanged("r", new Dictionary<string, SubmissionScore> { ["x"] = new(0.5, 1, 0) }, false);

        Assert.Null(ScoreProjection.Differs(a, b));
        Assert.Same(b, ScoreProjection.Differs(null, b));
        Assert.NotNull(ScoreProjection.Differs(a, b with { Final = true }));
        Assert.NotNull(ScoreProjection.Differs(a, new ScoresChanged("r", new Dictionary<string, SubmissionScore> { ["x"] = new(0.5, 1, 0.1) }, false)));
    }
}
