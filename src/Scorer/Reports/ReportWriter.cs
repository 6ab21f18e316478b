using System.Globalization;
using System.Net;
using System.Text;
using AlgoPerf.Contracts.Scoring;
using AlgoPerf.Scorer.Input;
using AlgoPerf.Scorer.Model;

namespace AlgoPerf.Scorer.Reports;

/// <summary>
/// Writes a report directory: <c>scores.csv</c>, <c>time_to_targets.csv</c>, <c>performance_profiles.csv</c> (τ and ρ
/// per submission), <c>studies.csv</c>, <c>summary.md</c>, <c>performance_profile.svg</c> and <c>report.html</c>
/// (the SVG embedded). CSV numbers are round-trip exact; infinity is <c>inf</c> and a missing value is empty, as
/// pandas writes them.
/// </summary>
public static class ReportWriter
{
    /// <summary>File names written.</summary>
    public static IReadOnlyList<string> Files { get; } =
        ["scores.csv", "time_to_targets.csv", "performance_profiles.csv", "studies.csv", "summary.md", "performance_profile.svg", "report.html"];

    /// <summary>Writes every report file into <paramref name="dir"/> (created if needed).</summary>
    /// <param name="result">The scores.</param>
    /// <param name="dir">The report directory.</param>
    /// <param name="speedups">Speedups per submission, when computed.</param>
    /// <param name="curves">Training curves per workload (<see cref="TrainingCurves"/>), when the trials' logs are at hand: each also written as <c>curves_&lt;workload&gt;.svg</c>.</param>
    public static void Write(ScoringResult result, string dir, IReadOnlyDictionary<string, double>? speedups = null, IReadOnlyList<WorkloadCurves>? curves = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(dir);
        Directory.CreateDirectory(dir);
        var svg = ProfilePlotSvg.Render(result);
        var files = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["scores.csv"] = ScoresCsv(result, speedups),
            ["time_to_targets.csv"] = TimesCsv(result.WorkloadTimes),
            ["performance_profiles.csv"] = ProfilesCsv(result),
            ["studies.csv"] = StudiesCsv(result),
            ["summary.md"] = Markdown(result, speedups),
            ["performance_profile.svg"] = svg,
            ["report.html"] = Html(result, svg, speedups, curves),
        };
        foreach (var c in curves ?? [])
        {
            files[CurvesFile(c.Workload)] = TrainingCurvesSvg.Render(c);
        }

        foreach (var (name, text) in files)
        {
            // Write beside, then rename: a crash never leaves a half-written report file.
            var path = Path.Combine(dir, name);
            var tmp = path + ".tmp";
            File.WriteAllText(tmp, text, new UTF8Encoding(false));
            File.Move(tmp, path, overwrite: true);
        }
    }

    /// <summary><c>submission,score[,speedup]</c>, best first.</summary>
    public static string ScoresCsv(ScoringResult result, IReadOnlyDictionary<string, double>? speedups = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder(speedups is null ? "submission,score\n" : "submission,score,speedup\n");
        foreach (var s in ScoreText.Ranking(result))
        {
            var name = result.Submissions[s];
            sb.Append(Csv(name)).Append(',').Append(Num(result.Scores[s]));
            if (speedups is not null)
            {
                sb.Append(',').Append(speedups.TryGetValue(name, out var v) ? Num(v) : string.Empty);
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    /// <summary><c>submission,&lt;workload&gt;...</c>: a time table (the reference's <c>time_to_targets.csv</c> shape).</summary>
    public static string TimesCsv(TimeTable t)
    {
        ArgumentNullException.ThrowIfNull(t);
        var sb = new StringBuilder("submission");
        foreach (var w in t.Workloads)
        {
            sb.Append(',').Append(Csv(w));
        }

        sb.Append('\n');
        for (var s = 0; s < t.Submissions.Count; s++)
        {
            sb.Append(Csv(t.Submissions[s]));
            for (var w = 0; w < t.Workloads.Count; w++)
            {
                sb.Append(',').Append(Num(t[s, w]));
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    /// <summary><c>tau,&lt;submission&gt;...</c>: one row per τ grid point.</summary>
    public static string ProfilesCsv(ScoringResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder("tau");
        foreach (var s in result.Submissions)
        {
            sb.Append(',').Append(Csv(s));
        }

        sb.Append('\n');
        for (var k = 0; k < result.Tau.Count; k++)
        {
            sb.Append(Num(result.Tau[k]));
            foreach (var rho in result.Rho)
            {
                sb.Append(',').Append(Num(rho[k]));
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>Every study's decision.</summary>
    public static string StudiesCsv(ScoringResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder("submission,workload,study,n_trials,chosen_trial,chosen_first_hit_eval_index,study_time_to_target_sec\n");
        foreach (var st in result.Studies)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{Csv(st.Submission)},{Csv(st.Workload)},{Csv(st.Study)},{st.Trials},{st.ChosenTrial},{st.ChosenFirstHitEvalIndex},{Num(st.TimeToTargetSec)}\n");
        }

        return sb.ToString();
    }

    /// <summary>The markdown summary: scores, the time table, and how they were computed.</summary>
    public static string Markdown(ScoringResult result, IReadOnlyDictionary<string, double>? speedups = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# AlgoPerf scores: {result.Ruleset}\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Study selection `{result.Options.Selection.ToWire()}`; {result.Options.BaseWorkloads.Count} base workloads");
        sb.Append(result.Options.HeldOutWorkloads.Count > 0 ? $"; held-out: {string.Join(", ", result.Options.HeldOutWorkloads)}.\n\n" : ".\n\n");
        sb.Append(speedups is null ? "| rank | submission | score |\n|---:|---|---:|\n" : "| rank | submission | score | speedup |\n|---:|---|---:|---:|\n");
        var rank = 0;
        foreach (var s in ScoreText.Ranking(result))
        {
            var name = result.Submissions[s];
            sb.Append(CultureInfo.InvariantCulture, $"| {++rank} | {name} | {ScoreText.Score(result.Scores[s])} |");
            if (speedups is not null)
            {
                sb.Append(' ').Append(speedups.TryGetValue(name, out var v) ? v.ToString("F4", CultureInfo.InvariantCulture) : "-").Append(" |");
            }

            sb.Append('\n');
        }

        var t = result.WorkloadTimes;
        sb.Append("\n## Time to target (seconds, median over studies)\n\n| submission | ").Append(string.Join(" | ", t.Workloads)).Append(" |\n|---|");
        sb.Append(string.Concat(Enumerable.Repeat("---:|", t.Workloads.Count))).Append('\n');
        foreach (var s in ScoreText.Ranking(result))
        {
            sb.Append("| ").Append(t.Submissions[s]).Append(" | ");
            sb.Append(string.Join(" | ", t.Workloads.Select((_, w) => ScoreText.Time(t[s, w])))).Append(" |\n");
        }

        sb.Append("\n`inf`: target not reached (median over studies); `-`: no result. Scores integrate the performance profile ")
          .Append("ρ(τ) over τ in [1, 4] (100 points, trapezoids) and divide by 3; a workload counts at τ when its time is within ")
          .Append("τ times the best submission's, after the 4x rule.\n\n![performance profile](performance_profile.svg)\n");
        return sb.ToString();
    }

    /// <summary>The file of a workload's training curves.</summary>
    public static string CurvesFile(string workload) => $"curves_{workload}.svg";

    /// <summary>The HTML report with the plots inline: the performance profile, then the training curves of every workload.</summary>
    public static string Html(ScoringResult result, string svg, IReadOnlyDictionary<string, double>? speedups = null, IReadOnlyList<WorkloadCurves>? curves = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>AlgoPerf scores: ").Append(E(result.Ruleset)).Append("</title>\n");
        sb.Append("<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
          .Append("td,th{border:1px solid #ccc;padding:4px 10px}td.n{text-align:right;font-variant-numeric:tabular-nums}div.curves{display:flex;flex-wrap:wrap;gap:8px}</style></head><body>\n");
        sb.Append("<h1>AlgoPerf scores: ").Append(E(result.Ruleset)).Append("</h1>\n");
        sb.Append("<table><tr><th>rank</th><th>submission</th><th>score</th>").Append(speedups is null ? string.Empty : "<th>speedup</th>").Append("</tr>\n");
        var rank = 0;
        foreach (var s in ScoreText.Ranking(result))
        {
            var name = result.Submissions[s];
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"n\">{++rank}</td><td>{E(name)}</td><td class=\"n\">{ScoreText.Score(result.Scores[s])}</td>");
            if (speedups is not null)
            {
                sb.Append("<td class=\"n\">").Append(speedups.TryGetValue(name, out var v) ? v.ToString("F4", CultureInfo.InvariantCulture) : "-").Append("</td>");
            }

            sb.Append("</tr>\n");
        }

        sb.Append("</table>\n<figure>\n").Append(svg).Append("</figure>\n<h2>Time to target (seconds, median over studies)</h2>\n<table><tr><th>submission</th>");
        var t = result.WorkloadTimes;
        foreach (var w in t.Workloads)
        {
            sb.Append("<th>").Append(E(w)).Append("</th>");
        }

        sb.Append("</tr>\n");
        foreach (var s in ScoreText.Ranking(result))
        {
            sb.Append("<tr><td>").Append(E(t.Submissions[s])).Append("</td>");
            for (var w = 0; w < t.Workloads.Count; w++)
            {
                sb.Append("<td class=\"n\">").Append(ScoreText.Time(t[s, w])).Append("</td>");
            }

            sb.Append("</tr>\n");
        }

        sb.Append("</table>\n");
        if (curves is { Count: > 0 })
        {
            sb.Append("<h2>Training curves</h2>\n<p>Validation metric against submission time for every trial; the chosen trial of each study is thick, its first hit a dot, the target dashed.</p>\n<div class=\"curves\">\n");
            foreach (var c in curves)
            {
                sb.Append("<figure>\n").Append(TrainingCurvesSvg.Render(c)).Append("</figure>\n");
            }

            sb.Append("</div>\n");
        }

        sb.Append("<p>Files: ");
        sb.Append(string.Join(", ", Files.Where(f => f != "report.html").Select(f => $"<a href=\"{f}\">{f}</a>")));
        sb.Append("</p>\n</body></html>\n");
        return sb.ToString();
    }

    private static string Num(double v) => double.IsNaN(v) ? string.Empty : NumberText.Format(v);

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static string Csv(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
