using AlgoPerf.Trainer.Timing;

namespace AlgoPerf.Trainer.Logging;

/// <summary>
/// Everything one trial writes into its directory, in the runner's order: on start <c>hparams.json</c> (external
/// tuning; a saved file wins) and <c>meta_data_&lt;preemption&gt;.json</c>; per eval a row in both CSVs
/// (<see cref="RecordEval"/>, meant as the timed loop's <c>AfterEval</c>); at the end the final score row and
/// <c>outcome_&lt;preemption&gt;.json</c> (ours: why the loop ended, with a failure's stack trace).
/// </summary>
public sealed class TrialRecorder
{
    private TrialRecorder(string trialDirectory, int preemptionCount, IReadOnlyList<KeyValuePair<string, LogValue>>? hyperparameters)
    {
        TrialDirectory = trialDirectory;
        PreemptionCount = preemptionCount;
        Hyperparameters = hyperparameters;
        Metrics = new MetricsLogger(trialDirectory);
    }

    /// <summary>The trial's directory.</summary>
    public string TrialDirectory { get; }

    /// <summary>How many times this trial was resumed before (0 for a fresh one).</summary>
    public int PreemptionCount { get; }

    /// <summary>The hyperparameters to train with (those already saved, when there were); null under self-tuning.</summary>
    public IReadOnlyList<KeyValuePair<string, LogValue>>? Hyperparameters { get; }

    /// <summary>The CSV logger, also handed to the submission for its own rows.</summary>
    public MetricsLogger Metrics { get; }

    /// <summary>Writes the start-of-trial files and opens the CSV logger.</summary>
    /// <param name="trialDirectory">The trial's directory (<see cref="TrialLogLayout.TrialDirectory"/>).</param>
    /// <param name="hyperparameters">The trial's point in search-space key order; null for self-tuning (no file).</param>
    /// <param name="workloadProperties">The workload's primitive properties for the metadata.</param>
    /// <param name="system">Machine facts for the metadata.</param>
    /// <param name="rngSeed">The trial's seed.</param>
    /// <param name="preemptionCount">0 for a fresh trial, +1 per resume.</param>
    public static TrialRecorder Start(
        string trialDirectory,
        IReadOnlyList<KeyValuePair<string, LogValue>>? hyperparameters,
        IEnumerable<KeyValuePair<string, LogValue>> workloadProperties,
        SystemInfo system,
        long? rngSeed,
        int preemptionCount)
    {
        ArgumentNullException.ThrowIfNull(trialDirectory);
        ArgumentOutOfRangeException.ThrowIfNegative(preemptionCount);
        Directory.CreateDirectory(trialDirectory);
        var used = hyperparameters is null ? null : HparamsFile.WriteOrLoad(trialDirectory, hyperparameters);
        MetaDataFile.Write(trialDirectory, preemptionCount, workloadProperties, system, rngSeed);
        return new TrialRecorder(trialDirectory, preemptionCount, used);
    }

    /// <summary>Logs an eval to both CSVs (the timed loop's <c>AfterEval</c>).</summary>
    public void RecordEval(EvalRecord record) => Metrics.LogEval(record, PreemptionCount);

    /// <summary>Writes the runner's final score row and <c>outcome_&lt;preemption&gt;.json</c>; returns the latter's path.</summary>
    public string Finish(TrialOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        Metrics.LogFinalScore(outcome.Score, outcome.GlobalStep, PreemptionCount);
        var items = new List<KeyValuePair<string, LogValue>>
        {
            new("reason", outcome.Reason.ToWire()),
            new("global_step", outcome.GlobalStep),
            new("score", outcome.Score),
            new("validation_goal_reached", outcome.FinalState.ValidationGoalReached),
            new("test_goal_reached", outcome.FinalState.TestGoalReached),
            new("accumulated_eval_time", outcome.FinalState.AccumulatedEvalTime),
            new("accumulated_logging_time", outcome.FinalState.AccumulatedLoggingTime),
            new("num_evals", outcome.EvalResults.Count),
            new("num_eval_errors", outcome.EvalErrors.Count),
        };
        if (outcome.DivergedLoss is double loss)
        {
            items.Add(new("diverged_loss", loss));
        }

        if (outcome.Failure is { } f)
        {
            items.Add(new("failure_phase", f.Phase));
            items.Add(new("failure_step", f.GlobalStep));
            items.Add(new("failure_type", f.ExceptionType));
            items.Add(new("failure_message", f.Message));
            items.Add(new("failure_details", f.Details));
        }

        var path = Path.Combine(TrialDirectory, OutcomeFileName(PreemptionCount));
        AtomicFile.WriteAllText(path, PythonJson.Serialize(items));
        return path;
    }

    /// <summary>The <c>outcome_&lt;preemption_count&gt;.json</c> file name.</summary>
    public static string OutcomeFileName(int preemptionCount) =>
        $"outcome_{preemptionCount.ToString(System.Globalization.CultureInfo.InvariantCulture)}.json";
}
