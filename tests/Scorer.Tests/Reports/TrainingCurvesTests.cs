using AlgoPerf.Contracts.Rules;
using AlgoPerf.Contracts.Scoring;
using AlgoPerf.Scorer.Input;
using AlgoPerf.Scorer.Live;
using AlgoPerf.Scorer.Model;
using AlgoPerf.Scorer.Procedure;
using AlgoPerf.Scorer.Reports;

namespace AlgoPerf.Scorer.Tests.Reports;

public sealed class TrainingCurvesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("algoperf-curves-").FullName;
    private static readonly WorkloadTargets Targets = new([new WorkloadTarget("fmnist_mlp", "validation/accuracy", MetricDirection.Maximize, 0.8)], ["fmnist_mlp"], []);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Trial(string submission, int trial, params (double Time, double Accuracy)[] evals)
    {
        var dir = Path.Combine(_dir, "logs", submission, "study_0", "fmnist_mlp_pytorch", $"trial_{trial}");
        Directory.CreateDirectory(dir);
        File.WriteAllLines(
            Path.Combine(dir, ExperimentDirectoryImporter.MeasurementsFile),
            ["global_step,score,validation/accuracy", .. evals.Select((e, i) => FormattableString.Invariant($"{i * 10},{e.Time},{e.Accuracy}"))]);
    }

    private ScoringResult Score()
    {
        var warnings = new List<string>();
        var trials = ExperimentDirectoryImporter.Import(Path.Combine(_dir, "logs"), Targets, "external_tuning", warnings);
        return ScoringPipeline.Score("external_tuning", trials, new ScoringOptions(["fmnist_mlp"], [], StudySelectionRule.Reference));
    }

    [Fact]
    public void FromLogs_TwoSubmissions_EveryTrialsCurveWithTheChosenTrialOfEachStudyMarked()
    {
        Trial("a", 1, (0, 0.1), (5, 0.5), (10, 0.7));
        Trial("a", 2, (0, 0.1), (5, 0.85), (10, 0.9));
        Trial("b", 1, (0, 0.1), (5, 0.3));

        var curves = Assert.Single(TrainingCurves.FromLogs(Path.Combine(_dir, "logs"), Targets, ["fmnist_mlp"], Score()));

        Assert.Equal(("fmnist_mlp", "validation/accuracy", false, 0.8), (curves.Workload, curves.Metric, curves.Minimize, curves.Target));
        Assert.Equal(
            [("a", 1, false), ("a", 2, true), ("b", 1, false)],
            curves.Series.Select(s => (s.Submission, s.Trial, s.Chosen)).ToList());
        Assert.Equal([new CurvePoint(0, 0.1), new CurvePoint(5, 0.85), new CurvePoint(10, 0.9)], curves.Series[1].Points);
    }

    [Fact]
    public void Render_Curves_OnePathPerTrialTheChosenThickWithItsFirstHitAndTheTargetLine()
    {
        Trial("a", 1, (0, 0.1), (5, 0.5));
        Trial("a", 2, (0, 0.1), (5, 0.85), (10, 0.9));

        var svg = TrainingCurvesSvg.Render(TrainingCurves.FromLogs(Path.Combine(_dir, "logs"), Targets, ["fmnist_mlp"], Score())[0]);

        Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"curves\" data-workload=\"fmnist_mlp\"", svg, StringComparison.Ordinal);
        Assert.Equal(2, CountOf(svg, "<path class=\"trial"));
        Assert.Equal(1, CountOf(svg, "<path class=\"trial chosen\""));
        Assert.Equal(1, CountOf(svg, "<line class=\"target\""));
        Assert.Contains("<title>a study 0: target at 5 s</title></circle>", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_WithCurves_WritesEachWorkloadsSvgAndEmbedsThemInTheHtml()
    {
        Trial("a", 1, (0, 0.1), (5, 0.85));
        var result = Score();
        var report = Path.Combine(_dir, "report");

        ReportWriter.Write(result, report, curves: TrainingCurves.FromLogs(Path.Combine(_dir, "logs"), Targets, ["fmnist_mlp"], result));

        Assert.True(File.Exists(Path.Combine(report, "curves_fmnist_mlp.svg")));
        var html = File.ReadAllText(Path.Combine(report, "report.html"));
        Assert.Contains("<h2>Training curves</h2>", html, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(html, "data-workload=\"fmnist_mlp\""));
    }

    private static int CountOf(string text, string part)
    {
        var n = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }
}
