using AlgoPerf.Tests.Shared;

namespace AlgoPerf.Seed.Tests.Targets;

/// <summary><c>scripts/record_targets.sh</c>: what it stages of a target-setting run directory in a git work tree.</summary>
public sealed class RecordTargetsScriptTests : IDisposable
{
    private const string Trial1 = "tune/nadamw/study_0/fmnist_mlp_pytorch/trial_1";
    private const string Rerun1 = "rerun/nadamw/study_1/fmnist_mlp_pytorch/trial_1";
    private readonly string _repo = Directory.CreateTempSubdirectory("algoperf-record-").FullName;

    public RecordTargetsScriptTests()
    {
        Assert.Equal(0, Run("git", "init", "-q").Code);
        Directory.CreateDirectory(Path.Combine(_repo, "run"));
        File.Copy(Path.Combine(RepositoryPaths.Root, "benchmarks", "targets", ".gitignore"), Path.Combine(_repo, "run", ".gitignore"));
    }

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    [Fact]
    public void Record_RunWithFinishedAndRunningTrials_StagesTheFinishedOnesWithoutCheckpointsOrEmptyDerivations()
    {
        foreach (var trial in new[] { Trial1, Rerun1, "tune/nadamw/study_0/fmnist_mlp_pytorch/trial_2" })
        {
            Write($"run/fmnist_mlp/{trial}/eval_measurements.csv", "global_step,score\n");
            Write($"run/fmnist_mlp/{trial}/hparams.json", "{}");
            Write($"run/fmnist_mlp/{trial}/checkpoint_5.ckpt", "weights");
            Write($"run/fmnist_mlp/{trial}/.checkpoint_6.ckpt.1.0a.tmp", "half");
        }

        // trial_2 is still running: not in trials.jsonl.
        Write("run/fmnist_mlp/trials.jsonl", Line(Trial1) + Line(Rerun1));
        Write("run/fmnist_mlp/memory.jsonl", "{}\n{}\n");
        Write("run/fmnist_mlp.json", "{}");
        // A derivation still being written (set_targets.sh redirects `targets run` into it while the reruns train).
        Write("run/fmnist_mlp_gelu.json", "");
        Write("run/fmnist_mlp-tune-1.log", "log");

        var (code, stdout, stderr) = Run("bash", Path.Combine(RepositoryPaths.Root, "scripts", "record_targets.sh"), "run");

        Assert.True(code == 0, stderr);
        Assert.Equal("record_targets: staged 2 finished trials under run (checkpoints excluded)\n", stdout);
        Assert.Equal(
            [
                "run/.gitignore", "run/fmnist_mlp-tune-1.log", "run/fmnist_mlp.json", "run/fmnist_mlp/memory.jsonl",
                $"run/fmnist_mlp/{Rerun1}/eval_measurements.csv", $"run/fmnist_mlp/{Rerun1}/hparams.json",
                "run/fmnist_mlp/trials.jsonl",
                $"run/fmnist_mlp/{Trial1}/eval_measurements.csv", $"run/fmnist_mlp/{Trial1}/hparams.json",
            ],
            Staged());
    }

    [Fact]
    public void Record_MalformedTrialsJsonlLine_ExitsOneNamingFileAndLineAndStagesNothing()
    {
        Write($"run/fmnist_mlp/{Trial1}/eval_measurements.csv", "global_step,score\n");
        Write("run/fmnist_mlp/trials.jsonl", "{\"phase\":\"tune\"}\n" + Line(Trial1));

        var (code, _, stderr) = Run("bash", Path.Combine(RepositoryPaths.Root, "scripts", "record_targets.sh"), "run");

        Assert.Equal(1, code);
        Assert.Contains("record_targets: run/fmnist_mlp/trials.jsonl:1: not a trials.jsonl entry ('directory')", stderr, StringComparison.Ordinal);
        Assert.Empty(Staged());
    }

    [Fact]
    public void Record_ListedTrialMissing_ExitsOneNamingIt()
    {
        Write("run/fmnist_mlp/trials.jsonl", Line(Trial1));

        var (code, _, stderr) = Run("bash", Path.Combine(RepositoryPaths.Root, "scripts", "record_targets.sh"), "run");

        Assert.Equal(1, code);
        Assert.Contains($"record_targets: run/fmnist_mlp/trials.jsonl lists {Trial1}, which is missing under run/fmnist_mlp", stderr, StringComparison.Ordinal);
        Assert.Empty(Staged());
    }

    private static string Line(string directory) =>
        $$"""{"phase":"{{directory[..directory.IndexOf('/', StringComparison.Ordinal)]}}","trial":"t","directory":"{{directory}}","reason":"max_steps"}""" + "\n";

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_repo, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private List<string> Staged() =>
        [.. Run("git", "diff", "--cached", "--name-only").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];

    private (int Code, string Stdout, string Stderr) Run(string file, params string[] arguments) =>
        ScriptProcess.Run(_repo, null, file, arguments);
}
