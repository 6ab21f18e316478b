using AlgoPerf.Scorer.Input;
using AlgoPerf.Scorer.Model;
using AlgoPerf.Scorer.Procedure;
using AlgoPerf.Scorer.Tests.Fixtures;

namespace AlgoPerf.Scorer.Tests.Procedure;

/// <summary>The published AlgoPerf v0.6 results, reproduced exactly from the per-trial table.</summary>
public sealed class ScoringPipelineFixtureTests
{
    private static readonly ScoringOptions s_options = new(FixtureFiles.V06BaseWorkloads, []);

    private static ScoringResult ScoreRuleset(string ruleset) =>
        ScoringPipeline.Score(ruleset, TrialTableReader.Read(FixtureFiles.Trials).Where(t => t.Ruleset == ruleset), s_options);

    [Theory]
    [InlineData("external_tuning")]
    [InlineData("self_tuning")]
    public void Score_V06Fixture_EveryStudyMatchesExactly(string ruleset)
    {
        var result = ScoreRuleset(ruleset);
        var expected = FixtureFiles.Load("v06_studies_expected.csv");
        var rows = expected.Records.Where(r => r.Text(0) == ruleset).ToList();

        Assert.NotEmpty(rows);
        Assert.Equal(rows.Count, result.Studies.Count);
        foreach (var row in rows)
        {
            var study = Assert.Single(result.Studies, s => s.Submission == row.Text(1) && s.Workload == row.Text(2) && s.Study == row.Text(3));
            var where = $"{ruleset}/{study.Submission}/{study.Workload}/study_{study.Study}";
            Assert.True(int.Parse(row.Text(4), System.Globalization.CultureInfo.InvariantCulture) == study.Trials, where + " trials");
            Assert.True(row.Integer(5, allowEmpty: true) == study.ChosenTrial, where + " chosen trial");
            Assert.True(row.Integer(6, allowEmpty: true) == study.ChosenFirstHitEvalIndex, where + " first hit");
            Assert.True(FixtureFiles.Number(row.Text(7)).Equals(study.TimeToTargetSec), $"{where} time {study.TimeToTargetSec:R} vs {row.Text(7)}");
        }
    }

    [Theory]
    [InlineData("external_tuning")]
    [InlineData("self_tuning")]
    public void Score_V06Fixture_EveryWorkloadStageMatchesExactly(string ruleset)
    {
        var result = ScoreRuleset(ruleset);
        var expected = FixtureFiles.Load("v06_workloads_expected.csv");
        var rows = expected.Records.Where(r => r.Text(0) == ruleset).ToList();

        Assert.Equal(result.Submissions.Count * FixtureFiles.V06BaseWorkloads.Length, rows.Count);
        foreach (var row in rows)
        {
            var (sub, wl) = (row.Text(1), row.Text(2));
            var where = $"{ruleset}/{sub}/{wl}";
            Assert.True(FixtureFiles.Number(row.Text(5)).Equals(result.WorkloadTimes.Get(sub, wl)), where + " median");
            Assert.True(FixtureFiles.Number(row.Text(6)).Equals(result.AfterRules.Get(sub, wl)), where + " after rules");

            var ratio = FixtureFiles.Number(row.Text(7));
            var ours = result.Ratios.Get(sub, wl);
            if (double.IsNaN(ratio))
            {
                // The reference's NaN ratio (inf / inf: nobody solved it) leaves the infinite time in place.
                Assert.True(double.IsPositiveInfinity(ours), where + " ratio kept inf");
                Assert.True(double.IsPositiveInfinity(result.AfterRules.Get(sub, wl)), where + " time inf");
            }
            else
            {
                Assert.True(ratio.Equals(ours), $"{where} ratio {ours:R} vs {row.Text(7)}");
            }

            Assert.Equal(row.Text(8), FixtureFiles.AsPrinted(result.ScoreOf(sub), row.Text(8)));
        }
    }

    [Fact]
    public void Score_V06Fixture_PublishedScoresToFourDecimals()
    {
        var expected = FixtureFiles.Load("v06_scores_expected.csv");

        Assert.Equal(3, expected.Records.Count);
        foreach (var row in expected.Records)
        {
            var result = ScoreRuleset(row.Text(0));
            Assert.Equal(row.Text(2), result.ScoreOf(row.Text(1)).ToString("F4", System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Score_V06ExternalTuning_ShampooBeatsBaselineAndProfilesAreMonotone()
    {
        var result = ScoreRuleset("external_tuning");

        Assert.Equal(["baseline", "shampoo"], result.Submissions);
        Assert.Equal(100, result.Tau.Count);
        foreach (var rho in result.Rho)
        {
            Assert.Equal(100, rho.Count);
            Assert.True(rho.Zip(rho.Skip(1)).All(p => p.Item1 <= p.Item2));
        }

        // Shampoo: fastest on 4 of 8 (fastmri, imagenet_vit, ogbg, wmt), within 4x on 5 of 8 (plus criteo1tb).
        Assert.Equal(4.0 / 8, result.Rho[1][0]);
        Assert.Equal(5.0 / 8, result.Rho[1][^1]);
    }
}
