using AlgoPerf.Trainer.Logging;
using AlgoPerf.Trainer.Tests.Timing;
using AlgoPerf.Trainer.Timing;

namespace AlgoPerf.Trainer.Tests.Logging;

public sealed class TrialRecorderTests : IDisposable
{
    private static readonly SystemInfo s_system = new([], "Linux-test-x86_64", "10.0.0", null, null, "Test CPU", 2);

    private readonly string _run = Directory.CreateTempSubdirectory("trial-recorder-").FullName;

    public void Dispose() => Directory.Delete(_run, recursive: true);

    private static TrialOutcome RunFake(TrialRecorder recorder, Func<StepContext, UpdateResult>? onUpdate = null)
    {
        var trial = new FakeTrial { UpdateSec = 1, OnUpdate = onUpdate ?? (_ => UpdateResult.NoLoss) };
        var outcome = trial.Loop(trial.Clock(new ClockSettings(3, 1000, false, true, MaxGlobalSteps: 4)), afterEval: recorder.RecordEval).Run();
        recorder.Finish(outcome);
        return outcome;
    }

    [Fact]
    public void Start_ExternalTuningTrial_WritesReferenceFilesInTheLayout()
    {
        var dir = TrialLogLayout.TrialDirectory(_run, "nadamw", 0, "fmnist_mlp", 1);
        var recorder = TrialRecorder.Start(dir, [new("learning_rate", 0.001)], [new("step_hint", 100)], s_system, rngSeed: 7, preemptionCount: 0);
        var outcome = RunFake(recorder);

        Assert.Equal(
            ["eval_measurements.csv", "hparams.json", "measurements.csv", "meta_data_0.json", "outcome_0.json"],
            Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(2, MeasurementsTable.Load(recorder.Metrics.EvalMeasurementsPath).RowCount);
        Assert.Equal(
            "{\n  \"reason\": \"max_steps\",\n  \"global_step\": 4,\n  \"score\": 4.0,\n  \"validation_goal_reached\": false,\n  \"test_goal_reached\": false,\n"
            + "  \"accumulated_eval_time\": 0.0,\n  \"accumulated_logging_time\": 0.0,\n  \"num_evals\": 2,\n  \"num_eval_errors\": 0\n}",
            File.ReadAllText(Path.Combine(dir, "outcome_0.json")));
        Assert.Equal(LoopEndReason.MaxSteps, outcome.Reason);
    }

    [Fact]
    public void Start_SelfTuning_NoHparamsFile()
    {
        var recorder = TrialRecorder.Start(_run, hyperparameters: null, [], s_system, rngSeed: null, preemptionCount: 0);
        Assert.Null(recorder.Hyperparameters);
        Assert.False(File.Exists(Path.Combine(_run, HparamsFile.FileName)));
    }

    [Fact]
    public void Finish_FailedTrial_OutcomeCarriesPhaseAndStackTrace()
    {
        var recorder = TrialRecorder.Start(_run, null, [], s_system, null, preemptionCount: 2);
        RunFake(recorder, ctx => ctx.GlobalStep == 1 ? throw new InvalidOperationException("bad update") : UpdateResult.NoLoss);

        var outcome = PythonJson.Parse("outcome", File.ReadAllText(Path.Combine(_run, "outcome_2.json"))).ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("failed", outcome["reason"].Text);
        Assert.Equal("update_params", outcome["failure_phase"].Text);
        Assert.Equal("bad update", outcome["failure_message"].Text);
        Assert.Contains(nameof(Finish_FailedTrial_OutcomeCarriesPhaseAndStackTrace), outcome["failure_details"].Text, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_run, "meta_data_2.json")));
    }

    [Fact]
    public void Start_ResumedTrial_KeepsSavedHyperparameters()
    {
        TrialRecorder.Start(_run, [new("learning_rate", 0.5)], [], s_system, 1, 0);
        var resumed = TrialRecorder.Start(_run, [new("learning_rate", 0.25)], [], s_system, 1, 1);
        Assert.Equal([new KeyValuePair<string, LogValue>("learning_rate", 0.5)], resumed.Hyperparameters);
    }
}
