using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Contracts.Scoring;
using AlgoPerf.Scorer.Input;
using AlgoPerf.Scorer.Live;
using AlgoPerf.Scorer.Model;

namespace AlgoPerf.Scorer.Tests.Live;

public sealed class RunProjectionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    // One workload "wmt" (bleu, maximised, target 30.8491); one study of two trials for submission "a".
    private static RunProjection Projection() => new(new LiveScoringSetup(
        "external_tuning",
        WorkloadTargets.FromRules(RulesVersions.V06),
        new ScoringOptions(["wmt"], [], StudySelectionRule.Reference),
        1,
        2,
        ["a"]));

    /// <summary>A session, then two 100 s trials: trial 1 ends after 150 s of wall time for its 100 s; trial 2 has 40 s of submission time after 60 s.</summary>
    private static void PacedTrials(RunProjection p, RunSessionStarted session)
    {
        p.Apply(session, At(0));
        p.Apply(new TrialPlanned(Trial(1), [], 1, 100), At(0));
        p.Apply(new TrialPlanned(Trial(2), [], 1, 100), At(0));
        p.Apply(new TrialStarted(Trial(1), 0, 0), At(0));
        p.Apply(new TrialFinished(Trial(1), TrialEndReason.BudgetExhausted, 100, 100), At(150));
        p.Apply(new TrialStarted(Trial(2), 0, 0), At(150));
        p.Apply(Eval(2, 0, 40, 1), At(210));
    }

    private static TrialId Trial(int n) => new("a", "wmt", 0, n);

    private static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    private static EvalRecorded Eval(int trial, int index, double time, double bleu) =>
        new(Trial(trial), index, index * 100, time, 0, new Dictionary<string, double> { ["validation/bleu"] = bleu });

    [Fact]
    public void View_NoEvents_EveryPlannedTrialPendingAndNoBusyFraction()
    {
        var view = Projection().View(At(0), live: true);

        Assert.Equal(2, view.TotalTrials);
        Assert.Equal(2, view.Count(TrialStates.Pending));
        Assert.Empty(view.Trials);
        Assert.Null(view.DeviceBusyFraction);
        Assert.False(view.AllDecided);
    }

    [Fact]
    public void View_StartedTrialWithEvals_RunningWithItsCurveLatestMetricAndFirstHit()
    {
        var p = Projection();
        p.Apply(new TrialPlanned(Trial(1), [], 1, 100), At(0));
        p.Apply(new TrialStarted(Trial(1), 0, 0), At(1));
        p.Apply(Eval(1, 0, 0.5, 10), At(2));
        p.Apply(Eval(1, 1, 20, 31), At(30));
        p.Apply(Eval(1, 2, 40, 32), At(55));

        var view = p.View(At(60), live: true);

        var trial = Assert.Single(view.Trials);
        Assert.Equal(TrialStates.Running, trial.State);
        Assert.Equal(200, trial.Step);
        Assert.Equal(40, trial.SubmissionTimeSec);
        Assert.Equal(100, trial.BudgetSec);
        Assert.Equal(32, trial.Latest);
        Assert.Equal(20, trial.HitTimeSec);
        Assert.Equal("validation/bleu", trial.Metric);
        Assert.Equal([new CurvePoint(0.5, 10), new CurvePoint(20, 31), new CurvePoint(40, 32)], trial.Curve);
        Assert.Equal(1, view.Count(TrialStates.Running));
        Assert.Equal(1, view.Count(TrialStates.Pending));
    }

    [Fact]
    public void View_RunNotLive_OpenStartedTrialIsPaused()
    {
        var p = Projection();
        p.Apply(new TrialPlanned(Trial(1), [], 1, 100), At(0));
        p.Apply(new TrialStarted(Trial(1), 0, 0), At(1));

        Assert.Equal(TrialStates.Paused, Assert.Single(p.View(At(5), live: false).Trials).State);
    }

    [Fact]
    public void Apply_RedeliveredEvalAndEnd_ChangesNothing()
    {
        var p = Projection();
        p.Apply(new TrialStarted(Trial(1), 0, 0), At(0));
        p.Apply(Eval(1, 0, 1, 10), At(1));
        p.Apply(new TrialFinished(Trial(1), TrialEndReason.BudgetExhausted, 100, 5), At(5));
        p.Apply(Eval(1, 0, 1, 10), At(6));
        p.Apply(new TrialFinished(Trial(1), TrialEndReason.BudgetExhausted, 100, 5), At(7));

        var trial = Assert.Single(p.View(At(8), live: true).Trials);
        Assert.Single(trial.Curve);
        Assert.Equal(TrialStates.Finished, trial.State);
        Assert.Equal("BudgetExhausted", trial.EndReason);
    }

    [Fact]
    public void View_StudyDecided_ChosenTrialMarkedAndRunDecidedWithFinalScores()
    {
        var p = Projection();
        foreach (var n in new[] { 1, 2 })
        {
            p.Apply(new TrialPlanned(Trial(n), [], 1, 100), At(0));
            p.Apply(new TrialStarted(Trial(n), 0, 0), At(0));
        }

        p.Apply(Eval(1, 0, 10, 31), At(10));
        p.Apply(new TrialFinished(Trial(1), TrialEndReason.TargetsReached, 100, 10), At(10));
        p.Apply(new TrialFailed(Trial(2), "boom", null), At(12));
        p.Apply(new StudyDecided(new StudyId("a", "wmt", 0), "reference", 1, 0, 10), At(12));

        var view = p.View(At(20), live: true);

        Assert.True(view.AllDecided);
        Assert.True(view.Scores.Final);
        Assert.Null(view.EtaSec);
        Assert.True(view.Trials.Single(t => t.Trial == 1).Chosen);
        Assert.False(view.Trials.Single(t => t.Trial == 2).Chosen);
        Assert.Equal(TrialStates.Failed, view.Trials.Single(t => t.Trial == 2).State);
        var study = Assert.Single(view.Studies);
        Assert.Equal((true, 1, 10.0, 2), (study.Decided, study.ChosenTrial!.Value, study.TimeToTargetSec!.Value, study.Ended));
    }

    [Fact]
    public void View_TwoSessionsWithAGap_BusyFractionCountsOnlySessionTimeAndAttemptSpans()
    {
        var p = Projection();
        // Session 1 (2 trainers) from 0 s; trial 1 runs 10-60 s and ends; trial 2 starts at 20 s, its last event at
        // 50 s, then the process is killed. Session 2 (1 trainer) starts at 1000 s; trial 2 resumes at 1010 s and ends at 1100 s.
        p.Apply(new RunSessionStarted("b", 1, 2, 1, "cpu"), At(0));
        p.Apply(new TrialStarted(Trial(1), 0, 0), At(10));
        p.Apply(new TrialStarted(Trial(2), 0, 0), At(20));
        p.Apply(Eval(2, 0, 1, 10), At(50));
        p.Apply(new TrialFinished(Trial(1), TrialEndReason.BudgetExhausted, 100, 40), At(60));
        p.Apply(new RunSessionStarted("b", 2, 1, 1, "cpu"), At(1000));
        p.Apply(new TrialStarted(Trial(2), 1, 100), At(1010));
        p.Apply(new TrialFinished(Trial(2), TrialEndReason.BudgetExhausted, 200, 80), At(1100));

        var view = p.View(At(5000), live: false);

        // Inside trials: 50 + 30 + 90 = 170 s. Available: 2 x 60 s (session 1 to its last event) + 1 x 100 s.
        Assert.Equal(170.0 / 220.0, view.DeviceBusyFraction!.Value, 12);
        Assert.Equal(1, view.Trainers);
        Assert.Equal(At(0), view.StartedAt);
        Assert.Equal(2, view.Trials.Single(t => t.Trial == 2).Attempts);
    }

    [Fact]
    public void View_LiveSession_LastsUntilNowAndOpenAttemptCountsUntilNow()
    {
        var p = Projection();
        p.Apply(new RunSessionStarted("b", 1, 1, 1, "cpu"), At(0));
        p.Apply(new TrialStarted(Trial(1), 0, 0), At(10));

        var view = p.View(At(110), live: true);

        Assert.Equal(100.0 / 110.0, view.DeviceBusyFraction!.Value, 12);
    }

    [Fact]
    public void View_TrialsOnGangsOfTwo_EachTrialHoldsTwoTrainersInBusyFractionAndEta()
    {
        var p = Projection();
        PacedTrials(p, new RunSessionStarted("b", 1, 4, 1, "cpu", DevicesPerTrial: 2));

        var view = p.View(At(220), live: true);

        // Inside: 2 x 150 s + 2 x 70 s of 4 x 220 s. Eta: 60 s of budget at 1.5 s per second, over 4 / 2 gangs.
        Assert.Equal(440.0 / 880.0, view.DeviceBusyFraction!.Value, 12);
        Assert.Equal(45, view.EtaSec!.Value, 9);
    }

    [Fact]
    public void View_EndedTrialsSetThePace_EtaIsRemainingBudgetAtThatPaceOverTrainers()
    {
        var p = Projection();
        PacedTrials(p, new RunSessionStarted("b", 1, 1, 1, "cpu"));

        var view = p.View(At(220), live: true);

        // 60 s of budget left at 1.5 s of wall time per second of submission time, one trainer.
        Assert.Equal(90, view.EtaSec!.Value, 9);
    }

    [Fact]
    public void Provisional_OneStudyHit_ProfileResultScoresEqualSnapshot()
    {
        var p = Projection();
        p.Apply(Eval(1, 0, 10, 31), At(10));

        var view = p.View(At(20), live: true);

        Assert.NotNull(view.ProfileResult);
        Assert.Equal(view.Scores.Scores["a"].Score, view.ProfileResult!.ScoreOf("a"));
    }
}
