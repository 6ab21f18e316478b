using AlgoPerf.Contracts.Scoring;

namespace AlgoPerf.Scorer.Input;

/// <summary>
/// One trial's <c>eval_measurements.csv</c> as pandas writes it: columns in any order (the union of every row's keys),
/// empty cells, <c>nan</c>/<c>inf</c> spellings. The scorer needs two columns: the validation metric and <c>score</c>.
/// </summary>
public static class EvalMeasurements
{
    /// <summary>The time column: accumulated submission time at each eval.</summary>
    public const string ScoreColumn = "score";

    /// <summary>The trial's first hit of <paramref name="target"/> (<see cref="TrialTime.FirstHit"/>).</summary>
    /// <exception cref="InvalidDataException">Malformed CSV, a missing column, or a non-numeric value (file:line:column).</exception>
    public static TrialHit FirstHit(string path, WorkloadTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var (metric, score) = Read(path, target.MetricKey);
        return TrialTime.FirstHit(metric, score, target.Direction, target.Target);
    }

    /// <summary>The metric and score columns, one value per eval row (empty cells are NaN).</summary>
    public static (double[] Metric, double[] Score) Read(string path, string metricKey)
    {
        ArgumentNullException.ThrowIfNull(path);
        var text = File.ReadAllText(path);
        if (text.Trim().Length == 0)
        {
            // A trial that was killed before its first eval leaves an empty file: no evals, no hit.
            return ([], []);
        }

        var csv = CsvDocument.Parse(path, text);
        var m = csv.RequireColumn(metricKey);
        var s = csv.RequireColumn(ScoreColumn);
        var metric = new double[csv.Records.Count];
        var score = new double[csv.Records.Count];
        for (var i = 0; i < csv.Records.Count; i++)
        {
            metric[i] = csv.Records[i].Number(m, empty: double.NaN);
            score[i] = csv.Records[i].Number(s, empty: double.NaN);
        }

        return (metric, score);
    }
}
