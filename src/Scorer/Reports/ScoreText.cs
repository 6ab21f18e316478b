using System.Globalization;
using System.Text;
using AlgoPerf.Scorer.Model;

namespace AlgoPerf.Scorer.Reports;

/// <summary>The CLI's table output: scores (4 decimals, best first) and the median time-to-target table.</summary>
public static class ScoreText
{
    /// <summary>Formats a score as the leaderboard prints it (4 decimals).</summary>
    public static string Score(double score) => score.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>Formats a time in seconds (1 decimal), <c>inf</c>, or <c>-</c> when missing.</summary>
    public static string Time(double seconds) =>
        double.IsNaN(seconds) ? "-" : double.IsPositiveInfinity(seconds) ? "inf" : seconds.ToString("F1", CultureInfo.InvariantCulture);

    /// <summary>Submission indices ordered by score, best first (ties by name).</summary>
    public static IReadOnlyList<int> Ranking(ScoringResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Enumerable.Range(0, result.Submissions.Count)
            .OrderByDescending(i => result.Scores[i])
            .ThenBy(i => result.Submissions[i], StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The whole table text.</summary>
    public static string Write(ScoringResult result, IReadOnlyDictionary<string, double>? speedups = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"ruleset: {result.Ruleset}  (selection: {Contracts.Scoring.StudySelectionRules.ToWire(result.Options.Selection)}, base workloads: {result.Options.BaseWorkloads.Count})\n\n");
        var rows = Ranking(result).Select(i => new[] { result.Submissions[i], Score(result.Scores[i]) }.ToList()).ToList();
        if (speedups is not null)
        {
            foreach (var row in rows)
            {
                row.Add(speedups.TryGetValue(row[0], out var v) ? v.ToString("F4", CultureInfo.InvariantCulture) : "-");
            }
        }

        List<string> header = speedups is null ? ["submission", "score"] : ["submission", "score", "speedup"];
        Table(sb, header, rows);
        sb.Append("\ntime to target, seconds (median over studies):\n");
        var times = result.WorkloadTimes;
        Table(
            sb,
            ["submission", .. times.Workloads],
            Ranking(result).Select(s => new[] { times.Submissions[s] }.Concat(times.Workloads.Select((_, w) => Time(times[s, w]))).ToList()).ToList());
        return sb.ToString();
    }

    private static void Table(StringBuilder sb, List<string> header, List<List<string>> rows)
    {
        var widths = header.Select((h, c) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[c].Length))).ToArray();
        Line(header);
        foreach (var row in rows)
        {
            Line(row);
        }

        void Line(List<string> cells)
        {
            for (var c = 0; c < cells.Count; c++)
            {
                var cell = c == 0 ? cells[c].PadRight(widths[c]) : cells[c].PadLeft(widths[c]);
                sb.Append(cell).Append(c + 1 < cells.Count ? "  " : "\n");
            }
        }
    }
}
