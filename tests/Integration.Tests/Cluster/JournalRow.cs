using System.Globalization;
using System.Text.Json.Nodes;

namespace AlgoPerf.Integration.Tests.Cluster;

/// <summary>One trial event or decision of the journal: its manifest and its JSON payload.</summary>
/// <param name="Ordering">Its position in the journal.</param>
/// <param name="Manifest">E.g. <c>eval-recorded/v1</c>.</param>
/// <param name="Payload">The event as stored.</param>
internal sealed record JournalRow(long Ordering, string Manifest, JsonObject Payload)
{
    public const string Started = "trial-started/v2";
    public const string Eval = "eval-recorded/v1";
    public const string Finished = "trial-finished/v1";
    public const string Failed = "trial-failed/v1";
    public const string Decided = "study-decided/v1";

    /// <summary>The trial as <c>TrialId.ToString()</c> writes it (<c>nadamw/fmnist_mlp/study_0/trial_1</c>), as the scheduler logs it.</summary>
    public string Trial
    {
        get
        {
            var t = Payload["trial"]!;
            return string.Create(CultureInfo.InvariantCulture, $"{t["submission"]}/{t["workload"]}/study_{t["study"]}/trial_{t["trial"]}");
        }
    }

    public int EvalIndex => Payload["evalIndex"]!.GetValue<int>();

    public long ResumedFromStep => Payload["resumedFromStep"]!.GetValue<long>();

    public int Attempt => Payload["attempt"]!.GetValue<int>();

    /// <summary>
    /// A trial that has started, recorded at least <paramref name="evals"/> evals and not ended, or null.
    /// </summary>
    public static string? MidTrial(IReadOnlyList<JournalRow> rows, int evals)
    {
        var started = rows.Where(r => r.Manifest == Started).Select(r => r.Trial).ToHashSet(StringComparer.Ordinal);
        var ended = rows.Where(r => r.Manifest is Finished or Failed).Select(r => r.Trial).ToHashSet(StringComparer.Ordinal);
        return rows.Where(r => r.Manifest == Eval && started.Contains(r.Trial) && !ended.Contains(r.Trial))
            .GroupBy(r => r.Trial, StringComparer.Ordinal)
            .FirstOrDefault(g => g.Count() >= evals)?.Key;
    }
}
