using System.Text.Json.Nodes;
using AlgoPerf.Seed.Targets;
using AlgoPerf.Trainer.Workloads;
using static AlgoPerf.Seed.Tests.CliRunner;

namespace AlgoPerf.Seed.Tests.Commands;

[Collection(NativeHandlesCollection.Name)]
public sealed class TargetsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("algoperf-targets-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Run_TinyTargetSetting_TunesSelectsRerunsDerivesAndResumes()
    {
        // momentum's space replaced by a list of one point: a list space's trials are its points, however many are asked for.
        var space = Path.Combine(_dir, "momentum_space.json");
        File.WriteAllText(space, """
            [{"learning_rate": 0.1, "one_minus_beta1": 0.1, "weight_decay": 1e-6, "warmup_factor": 0.05, "decay_steps_factor": 0.9,
              "end_factor": 0.01, "label_smoothing": 0.1, "dropout_rate": 0.0}]
            """);
        var runDir = Path.Combine(_dir, "run");
        string[] run = ["targets", "run", "--workload", "fmnist_mlp", "--run-dir", runDir, "--algorithms", "nadamw,momentum", "--trials", "2", "--reruns", "3",
            "--max-steps", "5", "--eval-period", "0.000001", "--threads", "1", "--search-space", "momentum=" + space, "--format", "json"];

        var (code, stdout, stderr) = await RunAsync(run);

        Assert.True(code == 0, stderr);
        var result = JsonNode.Parse(stdout)!;
        var selected = result["selected"]!;
        var submission = selected["submission"]!.GetValue<string>();
        var trial = selected["trial"]!.GetValue<int>();
        Assert.Equal(3, result["tuning_trials"]!.GetValue<int>());
        Assert.Contains("momentum: its search space is a list of 1 points; tuning those 1", stderr, StringComparison.Ordinal);
        Assert.Contains("\"learning_rate\": 0.1,", File.ReadAllText(Path.Combine(runDir, "tune", "momentum", "study_0", "fmnist_mlp_pytorch", "trial_1", "hparams.json")), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(runDir, "tune", "momentum", "study_0", "fmnist_mlp_pytorch", "trial_2")));
        foreach (var (s, k) in new[] { ("nadamw", 1), ("nadamw", 2), ("momentum", 1) })
        {
            // The target-setting schedule: step_hint 3000 -> 2250 in the trial's metadata, targets unreachable, step limit honoured.
            var trialDir = Path.Combine(runDir, "tune", s, "study_0", "fmnist_mlp_pytorch", $"trial_{k}");
            var meta = File.ReadAllText(Path.Combine(trialDir, "meta_data_0.json"));
            Assert.Contains("\"workload.step_hint\": 2250", meta, StringComparison.Ordinal);
            Assert.Contains("\"workload.validation_target_value\": Infinity", meta, StringComparison.Ordinal);
            Assert.Equal(5, TrialCurve.Read(Path.Combine(trialDir, "eval_measurements.csv"), DevSuiteSpecs.Get("fmnist_mlp"))[^1].GlobalStep);
        }

        // Every rerun trains the selected configuration's hyperparameters under its own study (and so its own seed).
        var selectedHparams = File.ReadAllText(Path.Combine(runDir, "tune", submission, "study_0", "fmnist_mlp_pytorch", $"trial_{trial}", "hparams.json"));
        for (var r = 1; r <= 3; r++)
        {
            Assert.Equal(selectedHparams, File.ReadAllText(Path.Combine(runDir, "rerun", submission, $"study_{r}", "fmnist_mlp_pytorch", $"trial_{trial}", "hparams.json")));
        }

        var reruns = result["reruns"]!.AsArray();
        Assert.Equal([1, 2, 3], reruns.Select(r => r!["study"]!.GetValue<int>()));
        var bests = reruns.Select(r => r!["best_validation"]!.GetValue<double>()).Order().ToList();
        Assert.Equal(bests[1], result["validation_target"]!.GetValue<double>());
        Assert.Equal(3000, result["step_hint"]!.GetValue<int>());
        Assert.Equal(10.0, result["max_runtime_sec"]!.GetValue<double>());
        Assert.Equal(6, File.ReadAllLines(Path.Combine(runDir, "memory.jsonl")).Length);
        Assert.Contains("selected " + submission + " trial " + trial, stderr, StringComparison.Ordinal);

        // derive reads the same directory to the same result; a second run resumes every finished trial at once.
        var csv = Path.Combine(runDir, "rerun", submission, "study_2", "fmnist_mlp_pytorch", $"trial_{trial}", "eval_measurements.csv");
        var before = File.ReadAllText(csv);
        var (deriveCode, derived, _) = await RunAsync("targets", "derive", "--workload", "fmnist_mlp", "--run-dir", runDir, "--format", "json");
        var (againCode, again, _) = await RunAsync(run);
        Assert.Equal((0, 0), (deriveCode, againCode));
        Assert.Equal(stdout, derived);
        Assert.Equal(stdout, again);
        Assert.Equal(before, File.ReadAllText(csv));

        // Another algorithm's tuning trial in the same directory (a perfect score) does not change what this run derives;
        // derive, which reads every trial there, selects it and says it has no reruns.
        var foreign = Path.Combine(runDir, "tune", "adamw", "study_0", "fmnist_mlp_pytorch", "trial_1");
        Directory.CreateDirectory(foreign);
        File.WriteAllText(Path.Combine(foreign, "eval_measurements.csv"), "global_step,score,test/accuracy,validation/accuracy\n1,0.1,1.0,1.0\n");
        var (thirdCode, third, _) = await RunAsync(run);
        var (allCode, _, allError) = await RunAsync("targets", "derive", "--workload", "fmnist_mlp", "--run-dir", runDir);
        Assert.Equal((0, stdout), (thirdCode, third));
        Assert.Equal(1, allCode);
        Assert.Contains("no rerun of the selected configuration (adamw trial 1)", allError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Derive_EmptyRunDirectory_ExitsOneNamingWhereItLooked()
    {
        var (code, stdout, stderr) = await RunAsync("targets", "derive", "--workload", "dlrm_synth", "--run-dir", _dir);

        Assert.Equal((1, string.Empty), (code, stdout));
        Assert.Equal($"algoperf targets: error: dlrm_synth: no tuning trial with an eval_measurements.csv under {Path.Combine(_dir, "tune")} (targets run writes them)" + Environment.NewLine, stderr);
    }

    [Fact]
    public async Task Run_SelfTuningAlgorithm_ExitsOneNamingIt()
    {
        var (code, _, stderr) = await RunAsync("targets", "run", "--workload", "fmnist_mlp", "--run-dir", _dir, "--algorithms", "schedule_free_adamw");

        Assert.Equal(1, code);
        Assert.Contains("'schedule_free_adamw' is a self-tuning submission", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--trials", "0")]
    [InlineData("--reruns", "0")]
    [InlineData("--eval-period", "0")]
    [InlineData("--search-space", "nadamw")]
    public async Task Run_OutOfRangeOption_IsAUsageError(string option, string value)
    {
        var (code, _, _) = await RunAsync("targets", "run", "--workload", "fmnist_mlp", "--run-dir", _dir, option, value);

        Assert.Equal(2, code);
    }
}
