using System.Text;
using System.Text.Json;
using AlgoPerf.Scorer.Model;

namespace AlgoPerf.Scorer.Reports;

/// <summary>
/// The CLI's JSON output: one object
/// <c>{"ruleset": ..., "scores": {"&lt;submission&gt;": score}, "workload_times": {"&lt;submission&gt;": {"&lt;workload&gt;": seconds}}}</c>
/// with unrounded scores (shortest round-trip doubles), the median time per workload (before the held-out and 4x
/// rules), and null for infinity or a missing time. Optional <c>"speedups"</c> against a baseline submission.
/// </summary>
public static class ScoreJson
{
    /// <summary>The JSON text (indented, one object, ends with a newline).</summary>
    public static string Write(ScoringResult result, IReadOnlyDictionary<string, double>? speedups = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("ruleset", result.Ruleset);
            w.WriteStartObject("scores");
            for (var s = 0; s < result.Submissions.Count; s++)
            {
                WriteNumber(w, result.Submissions[s], result.Scores[s]);
            }

            w.WriteEndObject();
            w.WriteStartObject("workload_times");
            var times = result.WorkloadTimes;
            for (var s = 0; s < times.Submissions.Count; s++)
            {
                w.WriteStartObject(times.Submissions[s]);
                for (var c = 0; c < times.Workloads.Count; c++)
                {
                    WriteNumber(w, times.Workloads[c], times[s, c]);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
            if (speedups is not null)
            {
                w.WriteStartObject("speedups");
                foreach (var (name, value) in speedups)
                {
                    WriteNumber(w, name, value);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
