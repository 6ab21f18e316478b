using AlgoPerf.Seed.Targets;
using AlgoPerf.Trainer.Workloads;

namespace AlgoPerf.Seed.Tests.Targets;

public sealed class TrialCurveTests : IDisposable
{
    private const string Header = "accumulated_submission_time,global_step,preemption_count,score,test/accuracy,validation/accuracy,validation/loss";
    private readonly string _dir = Directory.CreateTempSubdirectory("algoperf-curves-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ReadAll_RunDirectory_ReadsEveryTrialOfTheWorkloadInOrder()
    {
        Write("nadamw", 0, "fmnist_mlp", 2, Header, "0.1,1,0,0.1,0.1,0.12,2.3", "5.5,2000,0,5.5,0.88,0.9,0.3");
        Write("adamw", 0, "fmnist_mlp", 10, Header, "0.2,1,0,0.2,0.1,0.11,2.3");
        Write("adamw", 0, "fmnist_mlp", 9, Header);
        Write("adamw", 0, "dlrm_synth", 1, Header, "0.2,1,0,0.2,0.1,0.11,2.3");
        Directory.CreateDirectory(Path.Combine(_dir, "adamw", "study_0", "fmnist_mlp_pytorch", "trial_3")); // no CSV yet

        var curves = TrialCurve.ReadAll(_dir, DevSuiteSpecs.Get("fmnist_mlp"));

        Assert.Equal([("adamw", 9, 0), ("adamw", 10, 1), ("nadamw", 2, 2)], curves.Select(c => (c.Submission, c.Trial, c.Evals.Count)));
        Assert.Equal([new EvalPoint(1, 0.1, 0.12, 0.1), new EvalPoint(2000, 5.5, 0.9, 0.88)], curves[2].Evals);
    }

    [Fact]
    public void ReadAll_MissingDirectory_IsEmpty() =>
        Assert.Empty(TrialCurve.ReadAll(Path.Combine(_dir, "nothing"), DevSuiteSpecs.Get("fmnist_mlp")));

    [Fact]
    public void Read_CsvWithoutTestColumn_ThrowsNamingFileAndColumn()
    {
        var path = Write("adamw", 0, "fmnist_mlp", 1, "global_step,score,validation/accuracy", "1,0.1,0.1");

        var e = Assert.Throws<InvalidDataException>(() => TrialCurve.Read(path, DevSuiteSpecs.Get("fmnist_mlp")));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("test/accuracy", e.Message, StringComparison.Ordinal);
    }

    private string Write(string submission, int study, string workload, int trial, params string[] lines)
    {
        var directory = Path.Combine(_dir, submission, $"study_{study}", $"{workload}_pytorch", $"trial_{trial}");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "eval_measurements.csv");
        File.WriteAllText(path, lines.Length == 1 ? string.Empty : string.Join("\n", lines) + "\n");
        return path;
    }
}
