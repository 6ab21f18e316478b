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
            Assert.Contains("\"workload.max_allowed_runtime_sec\": Infinity", meta, StringComparison.Ordinal);
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
        var memory = File.ReadAllLines(Path.Combine(runDir, "memory.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(6, memory.Count);
        foreach (var line in memory)
        {
            // Every handle released after each trial; the C heap sampled with the rest (null only off glibc).
            Assert.Equal(0, line["handles_after"]!.GetValue<long>());
            Assert.True(line["heap_in_use_mb_after"]!.GetValue<double>() > 0, line.ToJsonString());
            Assert.True(line["heap_in_use_mb_max"]!.GetValue<double>() > 0, line.ToJsonString());
            Assert.True(line["heap_free_mb_after"]!.GetValue<double>() >= 0, line.ToJsonString());
        }
        Assert.Contains("selected " + submission + " trial " + trial, stderr, StringComparison.Ordinal);

        // trials.jsonl records each trial as it ended, in order: the tuning trials, then the reruns.
        var ledger = File.ReadAllLines(Path.Combine(runDir, "trials.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(
            ["tune nadamw/fmnist_mlp/study_0/trial_1", "tune nadamw/fmnist_mlp/study_0/trial_2", "tune momentum/fmnist_mlp/study_0/trial_1",
             .. Enumerable.Range(1, 3).Select(r => $"rerun {submission}/fmnist_mlp/study_{r}/trial_{trial}")],
            ledger.Select(l => l!["phase"]!.GetValue<string>() + " " + l["trial"]!.GetValue<string>()));
        Assert.Equal($"rerun/{submission}/study_2/fmnist_mlp_pytorch/trial_{trial}", ledger[4]["directory"]!.GetValue<string>());
        Assert.All(ledger, l => Assert.Equal((5, 1), (l["steps"]!.GetValue<int>(), l["threads"]!.GetValue<int>())));

        // derive reads the same directory to the same result. With every checkpoint deleted (a run directory carried in
        // git), a second run trains nothing again: trials.jsonl says which trials are done.
        var csv = Path.Combine(runDir, "rerun", submission, "study_2", "fmnist_mlp_pytorch", $"trial_{trial}", "eval_measurements.csv");
        var before = File.ReadAllText(csv);
        var (deriveCode, derived, _) = await RunAsync("targets", "derive", "--workload", "fmnist_mlp", "--run-dir", runDir, "--format", "json");
        foreach (var checkpoint in Directory.EnumerateFiles(runDir, "*.ckpt", SearchOption.AllDirectories))
        {
            File.Delete(checkpoint);
        }

        var (againCode, again, againError) = await RunAsync(run);
        Assert.Equal((0, 0), (deriveCode, againCode));
        Assert.Equal(stdout, derived);
        Assert.Equal(stdout, again);
        Assert.Equal(before, File.ReadAllText(csv));
        Assert.Equal(6, againError.Split('\n').Count(l => l.Contains(": finished earlier (trials.jsonl): max_steps at step 5,", StringComparison.Ordinal)));
        Assert.Empty(Directory.EnumerateFiles(runDir, "*.ckpt", SearchOption.AllDirectories));
        Assert.Equal((6, 6), (File.ReadAllLines(Path.Combine(runDir, "memory.jsonl")).Length, File.ReadAllLines(Path.Combine(runDir, "trials.jsonl")).Length));

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

        // A trial neither recorded nor with a checkpoint (it was running when its run directory was committed) trains
        // again from its beginning, the unfinished attempt's logs set aside: the same evals, as its seed and point fix them.
        var ledgerPath = Path.Combine(runDir, "trials.jsonl");
        File.WriteAllLines(ledgerPath, File.ReadAllLines(ledgerPath)[..^1]);
        var lastDir = Path.Combine(runDir, "rerun", submission, "study_3", "fmnist_mlp_pytorch", $"trial_{trial}");
        var lastCsv = File.ReadAllText(Path.Combine(lastDir, "eval_measurements.csv"));
        static IEnumerable<(long, double, double)> Results(string path) =>
            TrialCurve.Read(path, DevSuiteSpecs.Get("fmnist_mlp")).Select(e => (e.GlobalStep, e.Validation, e.Test));
        var lastResults = Results(Path.Combine(lastDir, "eval_measurements.csv")).ToList();

        var (fourthCode, fourth, fourthError) = await RunAsync(run);

        Assert.True(fourthCode == 0, fourthError);
        var aside = Path.Combine(lastDir, "unfinished_attempt_1");
        Assert.Contains($"rerun {submission}/fmnist_mlp/study_3/trial_{trial}: not finished and no checkpoint to resume from; training it from its beginning (the unfinished attempt's logs moved to {aside})", fourthError, StringComparison.Ordinal);
        Assert.Equal(5, fourthError.Split('\n').Count(l => l.Contains(": finished earlier (trials.jsonl)", StringComparison.Ordinal)));
        Assert.Equal(lastCsv, File.ReadAllText(Path.Combine(aside, "eval_measurements.csv")));
        Assert.Equal(["eval_measurements.csv", "measurements.csv", "meta_data_0.json"], Directory.EnumerateFiles(aside).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(lastResults, Results(Path.Combine(lastDir, "eval_measurements.csv")));
        Assert.False(File.Exists(Path.Combine(lastDir, "meta_data_1.json")));
        foreach (var key in new[] { "validation_target", "test_target", "selected" })
        {
            Assert.Equal(result[key]!.ToJsonString(), JsonNode.Parse(fourth)![key]!.ToJsonString());
        }

        Assert.Equal(6, File.ReadAllLines(ledgerPath).Length);
    }

    [Fact]
    public async Task Tune_TwoShardsThenRun_SplitsTrialsDisjointlyAndDerivesWhatOneRunDoes()
    {
        string[] options = ["--workload", "fmnist_mlp", "--algorithms", "nadamw,momentum", "--trials", "2", "--max-steps", "4", "--eval-period", "0.000001", "--threads", "1"];
        var sharded = Path.Combine(_dir, "sharded");
        var single = Path.Combine(_dir, "single");
        string TrialDir(string root, string submission, int k) => Path.Combine(root, "tune", submission, "study_0", "fmnist_mlp_pytorch", $"trial_{k}");

        // Positions in the run's order: nadamw 1, nadamw 2, momentum 1, momentum 2; shard 1/2 takes the even ones.
        var (firstCode, firstOut, firstError) = await RunAsync([.. (string[])["targets", "tune", "--run-dir", sharded, "--shard", "1/2"], .. options]);
        Assert.True(firstCode == 0, firstError);
        Assert.EndsWith("shard 1/2: 2 tuning trials done; `targets run` with the same options selects and reruns" + Environment.NewLine, firstOut, StringComparison.Ordinal);
        Assert.Equal(
            [true, false, true, false],
            new[] { ("nadamw", 1), ("nadamw", 2), ("momentum", 1), ("momentum", 2) }.Select(t => File.Exists(Path.Combine(TrialDir(sharded, t.Item1, t.Item2), "eval_measurements.csv"))));
        Assert.False(Directory.Exists(Path.Combine(sharded, "rerun")));

        var (secondCode, _, _) = await RunAsync([.. (string[])["targets", "tune", "--run-dir", sharded, "--shard", "2/2"], .. options]);
        var (runCode, runOut, runError) = await RunAsync([.. (string[])["targets", "run", "--run-dir", sharded, "--reruns", "1", "--format", "json"], .. options]);
        var (singleCode, singleOut, _) = await RunAsync([.. (string[])["targets", "run", "--run-dir", single, "--reruns", "1", "--format", "json"], .. options]);

        Assert.Equal((0, 0, 0), (secondCode, runCode, singleCode));
        // The run after the shards trained no tuning trial again (the shards' lines in trials.jsonl say they are done) ...
        Assert.Equal(4, runError.Split('\n').Count(l => l.StartsWith("tune ", StringComparison.Ordinal) && l.Contains(": finished earlier (trials.jsonl): max_steps at step 4,", StringComparison.Ordinal)));
        Assert.Equal(["tune", "tune", "tune", "tune", "rerun"], File.ReadAllLines(Path.Combine(sharded, "memory.jsonl")).Select(l => JsonNode.Parse(l)!["phase"]!.GetValue<string>()));
        // ... and selected, reran and derived what one unsharded run does (eval every step, so nothing depends on timing but the runtimes).
        var (a, b) = (JsonNode.Parse(runOut)!, JsonNode.Parse(singleOut)!);
        Assert.Contains($"rerun {a["selected"]!["submission"]!.GetValue<string>()}/fmnist_mlp/study_1/trial_", runError, StringComparison.Ordinal);
        foreach (var key in new[] { "tuning_trials", "algorithms", "validation_target", "test_target", "step_hint" })
        {
            Assert.Equal(b[key]!.ToJsonString(), a[key]!.ToJsonString());
        }

        Assert.Equal(b["selected"]!["trial"]!.GetValue<int>(), a["selected"]!["trial"]!.GetValue<int>());
        Assert.Equal(b["selected"]!["submission"]!.GetValue<string>(), a["selected"]!["submission"]!.GetValue<string>());
        Assert.Equal(b["reruns"]![0]!["best_validation"]!.GetValue<double>(), a["reruns"]![0]!["best_validation"]!.GetValue<double>());
    }

    [Fact]
    public async Task Run_MalformedTrialsJsonl_ExitsOneNamingFileAndLineAndTrainsNothing()
    {
        var ledger = Path.Combine(_dir, "trials.jsonl");
        File.WriteAllText(ledger, "{\"phase\":\"tune\"}\n");

        var (code, _, stderr) = await RunAsync("targets", "run", "--workload", "fmnist_mlp", "--run-dir", _dir, "--algorithms", "nadamw", "--trials", "1", "--max-steps", "2", "--threads", "1");

        Assert.Equal(1, code);
        Assert.Contains($"{ledger}:1: field 'trial' is missing", stderr, StringComparison.Ordinal);
        Assert.Equal("{\"phase\":\"tune\"}\n", File.ReadAllText(ledger));
        Assert.False(File.Exists(Path.Combine(_dir, "tune", "nadamw", "study_0", "fmnist_mlp_pytorch", "trial_1", "eval_measurements.csv")));
    }

    [Theory]
    [InlineData("0/2")]
    [InlineData("3/2")]
    [InlineData("1")]
    [InlineData("a/b")]
    public async Task Tune_BadShard_IsAUsageErrorNamingIt(string shard)
    {
        var (code, _, stderr) = await RunAsync("targets", "tune", "--workload", "fmnist_mlp", "--run-dir", _dir, "--shard", shard);

        Assert.Equal(2, code);
        Assert.Contains($"--shard takes I/N with 1 <= I <= N, e.g. 1/2 (got '{shard}')", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tune_RerunsOption_IsAUsageError()
    {
        var (code, _, _) = await RunAsync("targets", "tune", "--workload", "fmnist_mlp", "--run-dir", _dir, "--shard", "1/1", "--reruns", "3");

        Assert.Equal(2, code);
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
