using System.Globalization;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Scorer.Input;
using AlgoPerf.Scorer.Model;
using AlgoPerf.Scorer.Procedure;
using AlgoPerf.Scorer.Tests.Fixtures;

namespace AlgoPerf.Scorer.Tests.Input;

public sealed class ExperimentDirectoryImporterTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("algoperf-scorer-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static readonly WorkloadTargets s_v06 = WorkloadTargets.FromRules(RulesVersions.V06);

    private string WriteTrial(string relativeDir, string csv)
    {
        var dir = Path.Combine(_root, relativeDir);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, ExperimentDirectoryImporter.MeasurementsFile), csv);
        return dir;
    }

    [Fact]
    public void Import_PublishedFixtureRebuiltAsLogs_ReproducesScoresExactly()
    {
        // Writes every fixture trial as an eval_measurements.csv whose first hit is at the published eval index and
        // time, with the quirks of real logs: pandas union columns, empty cells, nan rows, both framework suffixes, a
        // timestamped experiment directory, and a trial directory without measurements.
        var trials = TrialTableReader.Read(FixtureFiles.Trials).Where(t => t.Ruleset == "external_tuning").ToList();
        foreach (var t in trials)
        {
            var spec = RulesVersions.V06.Workload(t.Workload);
            var submissionDir = t.Submission == "shampoo" && t.Study == "2" ? "shampoo-2024-05-01-10-20-30" : t.Submission;
            var framework = t.Workload.Length % 2 == 0 ? "jax" : "pytorch";
            WriteTrial(Path.Combine(submissionDir, "study_" + t.Study, $"{t.Workload}_{framework}", "trial_" + t.Trial), Log(spec, t));
        }

        Directory.CreateDirectory(Path.Combine(_root, "baseline", "study_0", "wmt_jax", "trial_9"));
        var warnings = new List<string>();

        var imported = ExperimentDirectoryImporter.Import(_root, s_v06, "external_tuning", warnings);
        var result = ScoringPipeline.Score("external_tuning", imported, new ScoringOptions(FixtureFiles.V06BaseWorkloads, []));

        Assert.Equal(trials.Count, imported.Count);
        Assert.Contains(warnings, w => w.Contains("trial_9", StringComparison.Ordinal));
        Assert.Equal("0.6244", result.ScoreOf("shampoo").ToString("F4", CultureInfo.InvariantCulture));
        Assert.Equal("0.4590", result.ScoreOf("baseline").ToString("F4", CultureInfo.InvariantCulture));
        var expected = ScoringPipeline.Score("external_tuning", trials, new ScoringOptions(FixtureFiles.V06BaseWorkloads, []));
        Assert.Equal(expected.Scores.OrderBy(s => s), result.Scores.OrderBy(s => s));
        foreach (var w in FixtureFiles.V06BaseWorkloads)
        {
            Assert.Equal(expected.WorkloadTimes.Get("shampoo", w), result.WorkloadTimes.Get("shampoo", w));
        }
    }

    private static string Log(WorkloadSpec spec, TrialRecord t)
    {
        var miss = spec.Direction == MetricDirection.Minimize ? spec.ValidationTarget * 2 : spec.ValidationTarget / 2;
        var evals = (t.FirstHitEvalIndex ?? 3) + 2;
        var lines = new List<string> { $"accumulated_submission_time,global_step,score,train/loss,{spec.ValidationMetricKey},test/extra" };
        for (var i = 0; i < evals; i++)
        {
            var time = i == t.FirstHitEvalIndex ? t.TimeToTargetSec : (t.FirstHitEvalIndex is { } h && i > h ? t.TimeToTargetSec + i : i);
            var value = i == t.FirstHitEvalIndex ? spec.ValidationTarget : (i == 0 ? double.NaN : miss);
            var metric = double.IsNaN(value) ? "nan" : value.ToString("R", CultureInfo.InvariantCulture);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{time:R},{i * 100},{time:R},1.5,{metric},{(i % 2 == 0 ? string.Empty : "0.1")}"));
        }

        return string.Join('\n', lines) + "\n";
    }

    [Fact]
    public void Import_FlatLayoutWithoutStudies_OneStudy()
    {
        WriteTrial("sub/ogbg_pytorch/trial_1", "score,validation/mean_average_precision\n10,0.1\n20,0.3\n");
        WriteTrial("sub/ogbg_pytorch/trial_2", "score,validation/mean_average_precision\n5,0.29\n");

        var records = ExperimentDirectoryImporter.Import(_root, s_v06, "self_tuning", []);

        Assert.Equal(
            [new TrialRecord("self_tuning", "sub", "ogbg", "study_0", 1, 20.0, 1), new TrialRecord("self_tuning", "sub", "ogbg", "study_0", 2, 5.0, 0)],
            records);
    }

    [Fact]
    public void Import_TrialsInNumericOrder_NotListingOrder()
    {
        WriteTrial("sub/study_0/wmt_jax/trial_10", "score,validation/bleu\n1,31\n");
        WriteTrial("sub/study_0/wmt_jax/trial_2", "score,validation/bleu\n1,31\n");

        var records = ExperimentDirectoryImporter.Import(_root, s_v06, "external_tuning", []);

        Assert.Equal([2, 10], records.Select(r => r.Trial));
    }

    [Fact]
    public void Import_UnknownWorkload_SkippedWithWarning()
    {
        WriteTrial("sub/study_0/mystery_jax/trial_1", "score,validation/loss\n1,0.1\n");
        var warnings = new List<string>();

        var records = ExperimentDirectoryImporter.Import(_root, s_v06, "external_tuning", warnings);

        Assert.Empty(records);
        Assert.Contains("no target for workload 'mystery'", Assert.Single(warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Import_EmptyMeasurementsFile_TrialWithoutHit()
    {
        WriteTrial("sub/study_0/wmt_jax/trial_1", string.Empty);

        var record = Assert.Single(ExperimentDirectoryImporter.Import(_root, s_v06, "external_tuning", []));

        Assert.Null(record.FirstHitEvalIndex);
        Assert.Equal(double.PositiveInfinity, record.TimeToTargetSec);
    }

    [Fact]
    public void Import_BadNumber_ErrorNamesFileLineColumn()
    {
        var dir = WriteTrial("sub/study_0/wmt_jax/trial_1", "score,validation/bleu\n1,20\n2,oops\n");

        var e = Assert.Throws<InvalidDataException>(() => ExperimentDirectoryImporter.Import(_root, s_v06, "external_tuning", []));

        Assert.Equal($"{Path.Combine(dir, "eval_measurements.csv")}:3:2: validation/bleu: 'oops' is not a number", e.Message);
    }

    [Fact]
    public void Import_MissingMetricColumn_ErrorNamesColumn()
    {
        WriteTrial("sub/study_0/wmt_jax/trial_1", "score,validation/loss\n1,20\n");

        var e = Assert.Throws<InvalidDataException>(() => ExperimentDirectoryImporter.Import(_root, s_v06, "external_tuning", []));

        Assert.Contains("missing column 'validation/bleu'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_MissingDirectory_Throws()
    {
        Assert.Throws<DirectoryNotFoundException>(() => ExperimentDirectoryImporter.Import(Path.Combine(_root, "nope"), s_v06, "x", []));
    }

    [Theory]
    [InlineData("wmt_jax", "wmt")]
    [InlineData("imagenet_resnet_pytorch", "imagenet_resnet")]
    [InlineData("wmt_glu_tanh_jax", "wmt_glu_tanh")]
    [InlineData("ogbg", "ogbg")]
    public void StripFramework_Suffix_Removed(string dir, string workload)
    {
        Assert.Equal(workload, ExperimentDirectoryImporter.StripFramework(dir));
    }
}
