using System.Text.Json;
using AlgoPerf.Scorer.Input;
using AlgoPerf.Scorer.Model;
using AlgoPerf.Scorer.Procedure;
using AlgoPerf.Scorer.Reports;
using static AlgoPerf.Seed.Tests.CliRunner;

namespace AlgoPerf.Seed.Tests.Commands;

/// <summary><c>./algoperf score</c> through the CLI entry point: output shapes, reports and error exits.</summary>
public sealed class ScoreCommandTests : IDisposable
{
    // a: first in both workloads; b: 1.5x slower on w1, never reaches w2's target. A pool of two.
    private const string Trials = """
        ruleset,submission,workload,study,trial,time_to_target_sec,first_hit_eval_index
        external_tuning,a,w1,0,1,100,3
        external_tuning,a,w1,0,2,inf,
        external_tuning,a,w2,0,1,200,5
        external_tuning,b,w1,0,1,150,4
        external_tuning,b,w2,0,1,inf,
        self_tuning,a,w1,0,1,1,0
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("algoperf-score-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Score_TrialsAsJson_OneObjectWithUnroundedScoresAndNullForInfinity()
    {
        var file = Write("trials.csv", Trials);

        var (code, stdout, stderr) = await RunAsync("score", "--trials", file, "--ruleset", "external_tuning", "--base-workloads", "w1,w2", "--format", "json");

        Assert.Equal((0, string.Empty), (code, stderr));
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(["ruleset", "scores", "workload_times"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("external_tuning", root.GetProperty("ruleset").GetString());
        var expected = ScoringPipeline.Score("external_tuning", TrialTableReader.Read(file).Where(t => t.Ruleset == "external_tuning").ToList(), new ScoringOptions(["w1", "w2"], []));
        Assert.Equal(1.0, root.GetProperty("scores").GetProperty("a").GetDouble());
        Assert.Equal(expected.ScoreOf("b"), root.GetProperty("scores").GetProperty("b").GetDouble());
        Assert.InRange(expected.ScoreOf("b"), 0.41, 0.42);
        var times = root.GetProperty("workload_times");
        Assert.Equal((100.0, 200.0), (times.GetProperty("a").GetProperty("w1").GetDouble(), times.GetProperty("a").GetProperty("w2").GetDouble()));
        Assert.Equal((150.0, JsonValueKind.Null), (times.GetProperty("b").GetProperty("w1").GetDouble(), times.GetProperty("b").GetProperty("w2").ValueKind));
    }

    [Fact]
    public async Task Score_TrialsAsTableWithReportDir_FourDecimalsBestFirstAndEveryReportFile()
    {
        var file = Write("trials.csv", Trials);
        var reports = Path.Combine(_dir, "report");

        var (code, stdout, _) = await RunAsync("score", "--trials", file, "--ruleset", "external_tuning", "--base-workloads", "w1,w2", "--report-dir", reports);

        Assert.Equal(0, code);
        var rows = stdout.Split('\n').Where(l => l.StartsWith("a ", StringComparison.Ordinal) || l.StartsWith("b ", StringComparison.Ordinal)).ToList();
        Assert.Matches(@"^a\s+1\.0000\s*$", rows[0]);
        Assert.Matches(@"^b\s+0\.41\d\d\s*$", rows[1]);
        Assert.Equal(ReportWriter.Files.Order(StringComparer.Ordinal), Directory.GetFiles(reports).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Score_ExperimentDirWithRules_ScoresTheImportedTrials()
    {
        WriteTrial("sub/study_0/wmt_jax/trial_1", "score,validation/bleu\n10,20\n20,31\n");
        WriteTrial("sub/study_0/wmt_jax/trial_2", "score,validation/bleu\n5,31\n");

        var (code, stdout, stderr) = await RunAsync("score", "--experiment-dir", Path.Combine(_dir, "logs"), "--rules", "v0.6", "--base-workloads", "wmt", "--format", "json");

        Assert.Equal((0, string.Empty), (code, stderr));
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(1.0, doc.RootElement.GetProperty("scores").GetProperty("sub").GetDouble());
        Assert.Equal(5.0, doc.RootElement.GetProperty("workload_times").GetProperty("sub").GetProperty("wmt").GetDouble());
    }

    [Fact]
    public async Task Score_MalformedTrialTable_ExitsOneNamingFileLineAndColumn()
    {
        var file = Write("bad.csv", "ruleset,submission,workload,study,trial,time_to_target_sec,first_hit_eval_index\nexternal_tuning,a,w1,0,1,abc,\n");

        var (code, stdout, stderr) = await RunAsync("score", "--trials", file, "--ruleset", "external_tuning", "--base-workloads", "w1");

        Assert.Equal((1, string.Empty), (code, stdout));
        Assert.Equal($"algoperf score: error: {file}:2:6: time_to_target_sec: 'abc' is not a number", stderr.Trim());
    }

    [Theory]
    [InlineData("--ruleset", "open_tuning")]
    [InlineData("--selection", "slowest")]
    [InlineData("--format", "yaml")]
    public async Task Score_BadOption_ExitsTwo(string option, string value)
    {
        var file = Write("trials.csv", Trials);
        string[] args = option == "--ruleset"
            ? ["score", "--trials", file, "--base-workloads", "w1,w2", option, value]
            : ["score", "--trials", file, "--ruleset", "external_tuning", "--base-workloads", "w1,w2", option, value];

        var (code, stdout, _) = await RunAsync(args);

        Assert.Equal((2, string.Empty), (code, stdout));
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text.ReplaceLineEndings("\n") + "\n");
        return path;
    }

    private void WriteTrial(string relativeDir, string csv)
    {
        var dir = Path.Combine(_dir, "logs", relativeDir);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, ExperimentDirectoryImporter.MeasurementsFile), csv);
    }
}
