namespace AlgoPerf.Scorer.Model;

/// <summary>
/// A submissions x workloads table of doubles, like the reference's pandas frames: NaN marks a missing entry
/// (the submission has no result for that workload), +infinity a workload not solved.
/// </summary>
public sealed class TimeTable
{
    private readonly double[][] _values;

    /// <summary>A table filled with NaN.</summary>
    public TimeTable(IReadOnlyList<string> submissions, IReadOnlyList<string> workloads)
    {
        ArgumentNullException.ThrowIfNull(submissions);
        ArgumentNullException.ThrowIfNull(workloads);
        Submissions = submissions;
        Workloads = workloads;
        _values = new double[submissions.Count][];
        for (var s = 0; s < submissions.Count; s++)
        {
            _values[s] = new double[workloads.Count];
            Array.Fill(_values[s], double.NaN);
        }
    }

    /// <summary>Row names, in table order.</summary>
    public IReadOnlyList<string> Submissions { get; }

    /// <summary>Column names, in table order.</summary>
    public IReadOnlyList<string> Workloads { get; }

    /// <summary>The value at row <paramref name="s"/>, column <paramref name="w"/>.</summary>
    public double this[int s, int w]
    {
        get => _values[s][w];
        set => _values[s][w] = value;
    }

    /// <summary>The value for a submission and workload by name; NaN when either is absent.</summary>
    public double Get(string submission, string workload)
    {
        var s = IndexOf(Submissions, submission);
        var w = IndexOf(Workloads, workload);
        return s < 0 || w < 0 ? double.NaN : _values[s][w];
    }

    /// <summary>Column index of a workload, or -1.</summary>
    public int WorkloadIndex(string workload) => IndexOf(Workloads, workload);

    /// <summary>A deep copy.</summary>
    public TimeTable Clone() => Select(Workloads);

    /// <summary>A copy with only the given columns, in the given order (absent columns are NaN).</summary>
    public TimeTable Select(IReadOnlyList<string> workloads)
    {
        ArgumentNullException.ThrowIfNull(workloads);
        var copy = new TimeTable(Submissions, workloads);
        for (var w = 0; w < workloads.Count; w++)
        {
            var from = WorkloadIndex(workloads[w]);
            if (from < 0)
            {
                continue;
            }

            for (var s = 0; s < Submissions.Count; s++)
            {
                copy._values[s][w] = _values[s][from];
            }
        }

        return copy;
    }

    /// <summary>The column minimum skipping NaN, as <c>DataFrame.min(axis=0)</c>; NaN when the column is all NaN.</summary>
    public double ColumnMin(int w)
    {
        var min = double.NaN;
        for (var s = 0; s < Submissions.Count; s++)
        {
            var v = _values[s][w];
            if (!double.IsNaN(v) && (double.IsNaN(min) || v < min))
            {
                min = v;
            }
        }

        return min;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
