using AlgoPerf.Contracts.Scoring;
using AlgoPerf.Scorer.Model;
using AlgoPerf.Scorer.Procedure;

namespace AlgoPerf.Scorer.Tests.Procedure;

public sealed class ScoringPipelineTests
{
    private const double Inf = double.PositiveInfinity;

    private static TrialRecord T(string sub, string wl, string study, int trial, double time, int? hit) =>
        new("external_tuning", sub, wl, study, trial, time, hit);

    [Fact]
    public void Score_PoolOfOne_FastestOnSolvedWorkloads()
    {
        TrialRecord[] trials = [T("a", "w1", "0", 1, 10, 2), T("a", "w2", "0", 1, Inf, null)];

        var result = ScoringPipeline.Score("external_tuning", trials, new ScoringOptions(["w1", "w2"], []));

        Assert.Equal(0.5, result.Scores[0], 12);
        Assert.Equal(0.5, result.Rho[0][0]);
    }

    [Fact]
    public void Score_MissingWorkload_CountsAsFailureInFixedDenominator()
    {
        TrialRecord[] trials = [T("a", "w1", "0", 1, 10, 2)];

        var result = ScoringPipeline.Score("external_tuning", trials, new ScoringOptions(["w1", "w2", "w3", "w4"], []));

        Assert.True(double.IsNaN(result.WorkloadTimes.Get("a", "w2")));
        Assert.Equal(0.25, result.Rho[0][^1]);
    }

    [Fact]
    public void Score_EvenNumberOfStudies_AveragesMiddleTwo()
    {
        TrialRecord[] trials = [T("a", "w", "0", 1, 10, 1), T("a", "w", "1", 1, 20, 1), T("a", "w", "2", 1, 40, 1), T("a", "w", "3", 1, Inf, null)];

        var result = ScoringPipeline.Score("external_tuning", trials, new ScoringOptions(["w"], []));

        Assert.Equal(30.0, result.WorkloadTimes.Get("a", "w"));
    }

    [Fact]
    public void Score_ReferenceVersusFastest_DifferentStudyTimes()
    {
        TrialRecord[] trials = [T("a", "w", "0", 1, 100, 5), T("a", "w", "0", 2, 80, 6)];

        var reference = ScoringPipeline.Score("x", trials, new ScoringOptions(["w"], [], StudySelectionRule.Reference));
        var fastest = ScoringPipeline.Score("x", trials, new ScoringOptions(["w"], [], StudySelectionRule.Fastest));

        Assert.Equal(1, reference.Studies[0].ChosenTrial);
        Assert.Equal(100.0, reference.WorkloadTimes.Get("a", "w"));
        Assert.Equal(2, fastest.Studies[0].ChosenTrial);
        Assert.Equal(80.0, fastest.WorkloadTimes.Get("a", "w"));
    }

    [Fact]
    public void Score_HeldOutVariantFailed_BaseCountsAsFailure()
    {
        TrialRecord[] trials =
        [
            T("a", "wmt", "0", 1, 100, 3), T("a", "wmt_glu_tanh", "0", 1, Inf, null),
            T("b", "wmt", "0", 1, 150, 3), T("b", "wmt_glu_tanh", "0", 1, 70, 2),
        ];

        var result = ScoringPipeline.Score("x", trials, new ScoringOptions(["wmt"], ["wmt_glu_tanh"]));

        Assert.Equal(["wmt", "wmt_glu_tanh"], result.WorkloadTimes.Workloads);
        Assert.Equal(Inf, result.AfterRules.Get("a", "wmt"));
        Assert.Equal(1.0, result.Ratios.Get("b", "wmt"));
        Assert.Equal(0.0, result.ScoreOf("a"));
        Assert.Equal(1.0, result.ScoreOf("b"), 12);
    }

    [Fact]
    public void Score_WorkloadOutsideBaseAndHeldOut_Ignored()
    {
        TrialRecord[] trials = [T("a", "w", "0", 1, 10, 1), T("a", "w_variant", "0", 1, Inf, null)];

        var result = ScoringPipeline.Score("x", trials, new ScoringOptions(["w"], []));

        Assert.Equal(["w"], result.WorkloadTimes.Workloads);
        Assert.Equal(1.0, result.Scores[0], 12);
    }

    [Fact]
    public void Score_SubmissionOrder_FirstAppearance()
    {
        TrialRecord[] trials = [T("z", "w", "0", 1, 10, 1), T("a", "w", "0", 1, 20, 1)];

        var result = ScoringPipeline.Score("x", trials, new ScoringOptions(["w"], []));

        Assert.Equal(["z", "a"], result.Submissions);
    }
}
