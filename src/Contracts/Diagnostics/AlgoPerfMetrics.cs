using System.Diagnostics.Metrics;

namespace AlgoPerf.Contracts.Diagnostics;

/// <summary>
/// The product's metrics: every instrument lives on one <see cref="System.Diagnostics.Metrics.Meter"/> named
/// <see cref="MeterName"/>, the .NET convention, so any <see cref="MeterListener"/> (the node's Prometheus endpoint,
/// <c>dotnet-counters</c>, OpenTelemetry) reads them without a dependency on this project.
/// </summary>
/// <remarks>
/// Instrument names follow the OpenTelemetry convention (dotted, unit apart); a Prometheus exporter turns them into
/// the names given on each member (dots become underscores, the unit becomes a suffix, counters get <c>_total</c>).
/// Recording is free while nothing listens. Every member is thread-safe.
/// </remarks>
public static class AlgoPerfMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "AlgoPerf";

    /// <summary>The tag that says why a trial was re-queued (<see cref="TrialsRequeued"/>).</summary>
    public const string ReasonTag = "reason";

    /// <summary>The tag that names a trial state (<see cref="SetTrialsByState"/>).</summary>
    public const string StateTag = "state";

    /// <summary>Re-queue reason: the cluster member running the trial left or became unreachable.</summary>
    public const string RequeueMemberLost = "member-lost";

    /// <summary>Re-queue reason: a rank of the trial's distributed gang failed.</summary>
    public const string RequeueGangFailed = "gang-failed";

    /// <summary>Re-queue reason: the run was paused while the trial ran.</summary>
    public const string RequeuePaused = "paused";

    /// <summary>
    /// The bucket upper bounds of <see cref="JournalWriteSeconds"/>, in seconds: 1 ms to 10 s in 1-2.5-5 steps.
    /// </summary>
    public static IReadOnlyList<double> JournalWriteBuckets { get; } =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly KeyValuePair<string, object?>[] s_noTags = [];

    /// <summary>The last counts given to <see cref="SetTrialsByState"/>, as the gauge reports them.</summary>
    private static Measurement<int>[] s_trialsByState = [];

    /// <summary>The last figures given to <see cref="SetClusterMembers"/>; null until the node joins a cluster.</summary>
    private static ClusterFigures? s_cluster;

    /// <summary>The meter every instrument of the product is created on.</summary>
    public static Meter Meter { get; } = new(MeterName);

    /// <summary>Evals persisted by tuners (Prometheus <c>algoperf_evals_recorded_total</c>).</summary>
    public static Counter<long> EvalsRecorded { get; } = Meter.CreateCounter<long>(
        "algoperf.evals.recorded", "{eval}", "Evals persisted by tuners.");

    /// <summary>
    /// Trials put back in the queue, tagged with <see cref="ReasonTag"/> (<see cref="RequeueMemberLost"/>,
    /// <see cref="RequeueGangFailed"/>, <see cref="RequeuePaused"/>); Prometheus
    /// <c>algoperf_trials_requeued_total{reason="member-lost"}</c>. <see cref="RecordRequeue"/> adds one.
    /// </summary>
    public static Counter<long> TrialsRequeued { get; } = Meter.CreateCounter<long>(
        "algoperf.trials.requeued", "{trial}", "Trials put back in the queue, by reason.");

    /// <summary>
    /// How long one journal write took, in seconds (Prometheus histogram <c>algoperf_journal_write_seconds</c>, buckets
    /// <see cref="JournalWriteBuckets"/>). <see cref="RecordJournalWrite"/> records a <see cref="TimeSpan"/>.
    /// </summary>
    public static Histogram<double> JournalWriteSeconds { get; } = Meter.CreateHistogram(
        "algoperf.journal.write",
        "s",
        "Latency of journal writes.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = JournalWriteBuckets });

    /// <summary>Gauge <c>algoperf_trials{state="..."}</c>: the trials in each state, as last given to <see cref="SetTrialsByState"/>.</summary>
    public static ObservableGauge<int> TrialsByState { get; } = Meter.CreateObservableGauge(
        "algoperf.trials", () => (IEnumerable<Measurement<int>>)Volatile.Read(ref s_trialsByState), "{trial}", "Trials by state.");

    /// <summary>Gauge <c>algoperf_cluster_members</c>: the members this node sees (reported once <see cref="SetClusterMembers"/> was called).</summary>
    public static ObservableGauge<int> ClusterMembers { get; } = Meter.CreateObservableGauge(
        "algoperf.cluster.members", () => Figure(f => f.Members), "{member}", "Cluster members this node sees.");

    /// <summary>Gauge <c>algoperf_cluster_unreachable_members</c>: the members this node's failure detector marks unreachable.</summary>
    public static ObservableGauge<int> ClusterUnreachableMembers { get; } = Meter.CreateObservableGauge(
        "algoperf.cluster.unreachable_members", () => Figure(f => f.Unreachable), "{member}", "Cluster members this node sees as unreachable.");

    /// <summary>
    /// Replaces the counts of trials by state (queued, running, finished, failed, ...): the coordinator calls it whenever
    /// its counts change. The last call wins, whole: a state missing from <paramref name="counts"/> is no longer reported.
    /// </summary>
    /// <param name="counts">Trials per state name.</param>
    public static void SetTrialsByState(IReadOnlyDictionary<string, int> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var measurements = counts
            .OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => new Measurement<int>(c.Value, new KeyValuePair<string, object?>(StateTag, c.Key)))
            .ToArray();
        Volatile.Write(ref s_trialsByState, measurements);
    }

    /// <summary>Sets the cluster gauges <see cref="ClusterMembers"/> and <see cref="ClusterUnreachableMembers"/> together.</summary>
    /// <param name="members">The members this node sees, itself included.</param>
    /// <param name="unreachable">How many of them are unreachable.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    public static void SetClusterMembers(int members, int unreachable)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(members);
        ArgumentOutOfRangeException.ThrowIfNegative(unreachable);
        Volatile.Write(ref s_cluster, new ClusterFigures(members, unreachable));
    }

    /// <summary>Adds one to <see cref="TrialsRequeued"/> for <paramref name="reason"/>.</summary>
    /// <param name="reason">Why the trial was re-queued, e.g. <see cref="RequeueMemberLost"/>.</param>
    public static void RecordRequeue(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        TrialsRequeued.Add(1, new KeyValuePair<string, object?>(ReasonTag, reason));
    }

    /// <summary>Records one journal write's latency in <see cref="JournalWriteSeconds"/>.</summary>
    /// <param name="elapsed">How long the write took.</param>
    public static void RecordJournalWrite(TimeSpan elapsed) =>
        JournalWriteSeconds.Record(elapsed.TotalSeconds, s_noTags);

    private static IEnumerable<Measurement<int>> Figure(Func<ClusterFigures, int> pick) =>
        Volatile.Read(ref s_cluster) is { } figures ? [new Measurement<int>(pick(figures))] : [];

    /// <summary>One consistent reading of the cluster gauges, swapped whole.</summary>
    private sealed record ClusterFigures(int Members, int Unreachable);
}
