using System.Globalization;

namespace AlgoPerf.Trainer.Logging;

/// <summary>
/// Where a trial's AlgoPerf-compatible files go:
/// <c>&lt;run&gt;/&lt;submission&gt;/study_&lt;k&gt;/&lt;workload&gt;_pytorch/trial_&lt;n&gt;/</c>, the layout the reference's
/// scorer walks (<c>algoperf-rules.md</c> §9). The framework suffix is <c>pytorch</c> because the kernels are
/// libtorch's. Studies count from 0 and trials from 1, as <c>run_workloads.py</c> and the runner name them.
/// </summary>
public static class TrialLogLayout
{
    /// <summary>The framework suffix of workload directories.</summary>
    public const string Framework = "pytorch";

    /// <summary>The trial directory.</summary>
    /// <exception cref="ArgumentException">A name that is not a single safe path segment, or an index out of range.</exception>
    public static string TrialDirectory(string runDirectory, string submission, int study, string workload, int trial)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        ArgumentOutOfRangeException.ThrowIfNegative(study);
        ArgumentOutOfRangeException.ThrowIfLessThan(trial, 1);
        return Path.Combine(
            runDirectory,
            Segment(submission, nameof(submission)),
            "study_" + study.ToString(CultureInfo.InvariantCulture),
            Segment(workload, nameof(workload)) + "_" + Framework,
            "trial_" + trial.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The <c>meta_data_&lt;preemption_count&gt;.json</c> file name.</summary>
    public static string MetaDataFileName(int preemptionCount) => $"meta_data_{preemptionCount.ToString(CultureInfo.InvariantCulture)}.json";

    private static string Segment(string name, string parameter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, parameter);
        if (name is "." or ".." || name.AsSpan().IndexOfAny("/\\\0") >= 0)
        {
            throw new ArgumentException($"'{name}' is not a valid directory name", parameter);
        }

        return name;
    }
}
