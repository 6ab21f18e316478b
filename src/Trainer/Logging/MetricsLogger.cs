using AlgoPerf.Trainer.Timing;

namespace AlgoPerf.Trainer.Logging;

/// <summary>
/// The reference's <c>MetricLogger</c> for one trial directory: every row goes to <c>measurements.csv</c>, eval rows
/// also to <c>eval_measurements.csv</c> (what scoring reads). Each append rewrites the whole file, as the reference
/// does, but atomically (<see cref="AtomicFile"/>). Existing files are read first, so a resumed trial appends.
/// </summary>
public sealed class MetricsLogger
{
    /// <summary>File name of all measurements.</summary>
    public const string MeasurementsFileName = "measurements.csv";

    /// <summary>File name of the eval measurements.</summary>
    public const string EvalMeasurementsFileName = "eval_measurements.csv";

    private readonly MeasurementsTable _measurements;
    private readonly MeasurementsTable _evalMeasurements;

    /// <summary>Opens the logger on a trial directory (created if missing), loading CSVs already there.</summary>
    /// <exception cref="InvalidDataException">An existing CSV is malformed; the message names it.</exception>
    public MetricsLogger(string trialDirectory)
    {
        ArgumentNullException.ThrowIfNull(trialDirectory);
        Directory.CreateDirectory(trialDirectory);
        MeasurementsPath = Path.Combine(trialDirectory, MeasurementsFileName);
        EvalMeasurementsPath = Path.Combine(trialDirectory, EvalMeasurementsFileName);
        _measurements = MeasurementsTable.Load(MeasurementsPath);
        _evalMeasurements = MeasurementsTable.Load(EvalMeasurementsPath);
    }

    /// <summary>Path of <c>measurements.csv</c>.</summary>
    public string MeasurementsPath { get; }

    /// <summary>Path of <c>eval_measurements.csv</c>.</summary>
    public string EvalMeasurementsPath { get; }

    /// <summary>
    /// <c>append_scalar_metrics</c>: adds <c>global_step</c> (and <c>preemption_count</c> when given) after the
    /// metrics and appends the row.
    /// </summary>
    public void AppendScalarMetrics(IEnumerable<KeyValuePair<string, LogValue>> metrics, long globalStep, int? preemptionCount = null, bool isEval = false)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var row = new List<KeyValuePair<string, LogValue>>(metrics) { new("global_step", globalStep) };
        if (preemptionCount is int p)
        {
            row.Add(new("preemption_count", p));
        }

        _measurements.Append(row);
        AtomicFile.WriteAllText(MeasurementsPath, _measurements.ToCsv());
        if (isEval)
        {
            _evalMeasurements.Append(row);
            AtomicFile.WriteAllText(EvalMeasurementsPath, _evalMeasurements.ToCsv());
        }
    }

    /// <summary>
    /// Logs an eval as the runner does. Metrics are floats except <c>*/num_examples</c>, which the reference's
    /// workloads report as ints.
    /// </summary>
    public void LogEval(EvalRecord record, int preemptionCount)
    {
        ArgumentNullException.ThrowIfNull(record);
        var metrics = record.Metrics.Select(m => new KeyValuePair<string, LogValue>(
            m.Key,
            m.Key.EndsWith("num_examples", StringComparison.Ordinal) && double.IsInteger(m.Value) ? LogValue.Of((long)m.Value) : LogValue.Of(m.Value)));
        AppendScalarMetrics(metrics, record.GlobalStep, preemptionCount, isEval: true);
    }

    /// <summary>The runner's last row after the loop: <c>{'score': accumulated_submission_time}</c>.</summary>
    public void LogFinalScore(double score, long globalStep, int preemptionCount) =>
        AppendScalarMetrics([new("score", score)], globalStep, preemptionCount);
}
