using AlgoPerf.Scorer.Input;
using AlgoPerf.Scorer.Model;
using AlgoPerf.Scorer.Procedure;
using AlgoPerf.Scorer.Reports;
using AlgoPerf.Scorer.Tests.Fixtures;

namespace AlgoPerf.Scorer.Tests.Reports;

public sealed class ReportWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("algoperf-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ScoringResult V06External() => ScoringPipeline.Score(
        "external_tuning",
        TrialTableReader.Read(FixtureFiles.Trials).Where(t => t.Ruleset == "external_tuning"),
        new ScoringOptions(FixtureFiles.V06BaseWorkloads, []));

    [Fact]
    public void Write_V06_AllFilesNoTemporaries()
    {
        ReportWriter.Write(V06External(), _dir);

        Assert.Equal(ReportWriter.Files.Order(StringComparer.Ordinal), Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Write_ScoresCsv_RoundTripExactScoresBestFirst()
    {
        var result = V06External();
        ReportWriter.Write(result, _dir, new Dictionary<string, double> { ["shampoo"] = 0.8 });

        var csv = CsvDocument.Load(Path.Combine(_dir, "scores.csv"));

        Assert.Equal(["submission", "score", "speedup"], csv.Header);
        Assert.Equal("shampoo", csv.Records[0].Text(0));
        Assert.Equal(result.ScoreOf("shampoo"), csv.Records[0].Number(1, double.NaN));
        Assert.Equal(0.8, csv.Records[0].Number(2, double.NaN));
        Assert.Equal(result.ScoreOf("baseline"), csv.Records[1].Number(1, double.NaN));
        Assert.Equal(string.Empty, csv.Records[1].Text(2));
    }

    [Fact]
    public void Write_TimeToTargets_MediansWithInf()
    {
        ReportWriter.Write(V06External(), _dir);

        var csv = CsvDocument.Load(Path.Combine(_dir, "time_to_targets.csv"));

        Assert.Equal(["submission", .. FixtureFiles.V06BaseWorkloads], csv.Header);
        var shampoo = csv.Records.Single(r => r.Text(0) == "shampoo");
        Assert.Equal(640.7693979740143, shampoo.Number(csv.ColumnIndex("fastmri"), double.NaN));
        Assert.Equal("inf", shampoo.Text(csv.ColumnIndex("imagenet_resnet")));
    }

    [Fact]
    public void Write_Profiles_TauAndRhoPerSubmission()
    {
        var result = V06External();
        ReportWriter.Write(result, _dir);

        var csv = CsvDocument.Load(Path.Combine(_dir, "performance_profiles.csv"));

        Assert.Equal(["tau", "baseline", "shampoo"], csv.Header);
        Assert.Equal(100, csv.Records.Count);
        Assert.Equal(result.Tau[37], csv.Records[37].Number(0, double.NaN));
        Assert.Equal(result.Rho[1][37], csv.Records[37].Number(2, double.NaN));
        Assert.Equal(4.0, csv.Records[^1].Number(0, double.NaN));
    }

    [Fact]
    public void Write_HtmlAndMarkdown_EmbedPlotAndScores()
    {
        ReportWriter.Write(V06External(), _dir);

        var html = File.ReadAllText(Path.Combine(_dir, "report.html"));
        var md = File.ReadAllText(Path.Combine(_dir, "summary.md"));

        Assert.Contains("<svg xmlns=\"http://www.w3.org/2000/svg\"", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"n\">0.6244</td>", html, StringComparison.Ordinal);
        Assert.Contains("| 1 | shampoo | 0.6244 |", md, StringComparison.Ordinal);
        Assert.Contains("| 2 | baseline | 0.4590 |", md, StringComparison.Ordinal);
        Assert.Contains("![performance profile](performance_profile.svg)", md, StringComparison.Ordinal);
    }

    [Fact]
    public void StudiesCsv_ChosenTrialPerStudy()
    {
        var text = ReportWriter.StudiesCsv(V06External());

        Assert.Contains("baseline,fastmri,0,5,4,22,2007.4167020320892\n", text, StringComparison.Ordinal);
        Assert.Contains("baseline,imagenet_resnet,0,5,,,inf\n", text, StringComparison.Ordinal);
    }
}
