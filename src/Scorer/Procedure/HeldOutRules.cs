using AlgoPerf.Scorer.Model;

namespace AlgoPerf.Scorer.Procedure;

/// <summary>
/// The reference's filters between the time-to-target table and the ratios (<c>algoperf-rules.md</c> §7.6), applied
/// in its order: (a) a variant is infinite when its base is infinite or missing; (b) the 4x rule on every column;
/// (c) a base is infinite when its variant is infinite or missing; (d) only the base columns are kept.
/// </summary>
public static class HeldOutRules
{
    /// <summary>Applies (a) to (d) to a copy of <paramref name="times"/>; the result has the base columns in option order.</summary>
    /// <param name="times">Median times, columns = base and held-out workloads (NaN = missing).</param>
    /// <param name="options">Base and held-out workloads.</param>
    public static TimeTable Apply(TimeTable times, ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(options);
        var t = times.Clone();
        var variants = t.Workloads
            .Select((name, index) => (name, index))
            .Where(c => !options.BaseWorkloads.Contains(c.name, StringComparer.Ordinal))
            .ToList();

        // (a) A variant counts only where its base was trained.
        foreach (var (name, index) in variants)
        {
            CopyInfinity(t, from: BaseColumn(t, options, name), to: index);
        }

        // (b) Anything strictly slower than 4x the column best is a failure.
        FourTimesRule(t);

        // (c) A base counts only where its variant was also trained.
        foreach (var (name, index) in variants)
        {
            CopyInfinity(t, from: index, to: BaseColumn(t, options, name));
        }

        // (d) Only base columns go on to the profile.
        return t.Select(options.BaseWorkloads);
    }

    /// <summary>
    /// The 4x rule in place: per column, <c>best = min</c> (NaN skipped); every entry strictly greater than
    /// <c>4 * best</c> becomes +infinity.
    /// </summary>
    public static void FourTimesRule(TimeTable t)
    {
        ArgumentNullException.ThrowIfNull(t);
        for (var w = 0; w < t.Workloads.Count; w++)
        {
            var limit = 4 * t.ColumnMin(w);
            for (var s = 0; s < t.Submissions.Count; s++)
            {
                if (t[s, w] > limit)
                {
                    t[s, w] = double.PositiveInfinity;
                }
            }
        }
    }

    // The reference's variant_criteria_filter: where the `from` entry is inf or NaN (or the column is absent), `to`
    // becomes inf; otherwise `to` keeps its value.
    private static void CopyInfinity(TimeTable t, int from, int to)
    {
        if (to < 0)
        {
            return;
        }

        for (var s = 0; s < t.Submissions.Count; s++)
        {
            var v = from < 0 ? double.NaN : t[s, from];
            if (double.IsPositiveInfinity(v) || double.IsNaN(v))
            {
                t[s, to] = double.PositiveInfinity;
            }
        }
    }

    private static int BaseColumn(TimeTable t, ScoringOptions options, string variant)
    {
        var baseName = options.BaseOf(variant)
            ?? throw new InvalidDataException($"held-out workload '{variant}' has no base among the base workloads ({string.Join(", ", options.BaseWorkloads)})");
        return t.WorkloadIndex(baseName);
    }
}
