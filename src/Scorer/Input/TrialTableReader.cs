using AlgoPerf.Scorer.Model;

namespace AlgoPerf.Scorer.Input;

/// <summary>
/// Reads the trial table: <c>ruleset,submission,workload,study,trial,time_to_target_sec,first_hit_eval_index</c>
/// (columns in any order, extra columns ignored). <c>time_to_target_sec</c> may be <c>inf</c> or empty (no hit);
/// <c>first_hit_eval_index</c> is empty exactly when the time is infinite.
/// </summary>
public static class TrialTableReader
{
    /// <summary>The required columns.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["ruleset", "submission", "workload", "study", "trial", "time_to_target_sec", "first_hit_eval_index"];

    /// <summary>Reads a trial-table file.</summary>
    /// <exception cref="InvalidDataException">A missing column or a malformed value, as <c>file:line:column: ...</c>.</exception>
    public static IReadOnlyList<TrialRecord> Read(string path) => Read(CsvDocument.Load(path));

    /// <summary>Reads a parsed trial table.</summary>
    public static IReadOnlyList<TrialRecord> Read(CsvDocument csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var ix = Columns.Select(csv.RequireColumn).ToArray();
        var records = new List<TrialRecord>(csv.Records.Count);
        foreach (var r in csv.Records)
        {
            var time = r.Number(ix[5], empty: double.PositiveInfinity);
            if (double.IsNaN(time) || time < 0)
            {
                throw r.Error(ix[5], $"'{r.Text(ix[5])}' is not a time (expected a non-negative number or inf)");
            }

            var hit = r.Integer(ix[6], allowEmpty: true);
            if (hit is < 0)
            {
                throw r.Error(ix[6], $"'{hit}' is negative");
            }

            if (hit is null != double.IsPositiveInfinity(time))
            {
                throw r.Error(ix[6], hit is null
                    ? "empty, but time_to_target_sec is finite (a hit needs its eval index)"
                    : "set, but time_to_target_sec is inf (no hit has no eval index)");
            }

            records.Add(new TrialRecord(
                r.RequiredText(ix[0]), r.RequiredText(ix[1]), r.RequiredText(ix[2]), r.RequiredText(ix[3]),
                r.Integer(ix[4], allowEmpty: false)!.Value, time, hit));
        }

        return records;
    }
}
