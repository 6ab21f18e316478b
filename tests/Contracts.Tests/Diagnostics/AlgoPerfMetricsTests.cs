using System.Diagnostics.Metrics;
using AlgoPerf.Contracts.Diagnostics;

namespace AlgoPerf.Contracts.Tests.Diagnostics;

/// <summary>
/// The product's instruments, read through a <see cref="MeterListener"/> as any exporter reads them. The meter is
/// process-global; nothing else in this test assembly records on it, and xunit runs one class's tests one at a time.
/// </summary>
public sealed class AlgoPerfMetricsTests
{
    /// <summary>What a listener reads from one instrument: each measurement with its tags as (key, value) text.</summary>
    private static List<(double Value, string Tags)> Read(Instrument instrument, Action record)
    {
        var seen = new List<(double, string)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (ReferenceEquals(i, instrument))
            {
                l.EnableMeasurementEvents(i);
            }
        };
        void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var text = string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}"));
            lock (seen)
            {
                seen.Add((value, text));
            }
        }

        listener.SetMeasurementEventCallback<int>((_, v, tags, _) => Add(v, tags));
        listener.SetMeasurementEventCallback<long>((_, v, tags, _) => Add(v, tags));
        listener.SetMeasurementEventCallback<double>((_, v, tags, _) => Add(v, tags));
        listener.Start();
        record();
        listener.RecordObservableInstruments();
        return seen;
    }

    [Fact]
    public void Instruments_All_LiveOnTheAlgoPerfMeterUnderTheirOpenTelemetryNames()
    {
        Instrument[] instruments =
        [
            AlgoPerfMetrics.EvalsRecorded, AlgoPerfMetrics.TrialsRequeued, AlgoPerfMetrics.JournalWriteSeconds,
            AlgoPerfMetrics.TrialsByState, AlgoPerfMetrics.ClusterMembers, AlgoPerfMetrics.ClusterUnreachableMembers,
        ];

        Assert.Equal(
            [
                ("AlgoPerf", "algoperf.evals.recorded", "{eval}"), ("AlgoPerf", "algoperf.trials.requeued", "{trial}"),
                ("AlgoPerf", "algoperf.journal.write", "s"), ("AlgoPerf", "algoperf.trials", "{trial}"),
                ("AlgoPerf", "algoperf.cluster.members", "{member}"), ("AlgoPerf", "algoperf.cluster.unreachable_members", "{member}"),
            ],
            instruments.Select(i => (i.Meter.Name, i.Name, i.Unit)));
        Assert.Same(AlgoPerfMetrics.Meter, AlgoPerfMetrics.EvalsRecorded.Meter);
    }

    [Fact]
    public void SetTrialsByState_CalledTwice_ReportsOnlyTheLastCountsSortedByState()
    {
        AlgoPerfMetrics.SetTrialsByState(new Dictionary<string, int> { ["running"] = 1, ["queued"] = 2, ["failed"] = 0 });
        var first = Read(AlgoPerfMetrics.TrialsByState, () => { });

        AlgoPerfMetrics.SetTrialsByState(new Dictionary<string, int> { ["finished"] = 3 });
        var second = Read(AlgoPerfMetrics.TrialsByState, () => { });

        Assert.Equal([(0.0, "state=failed"), (2.0, "state=queued"), (1.0, "state=running")], first);
        Assert.Equal([(3.0, "state=finished")], second);
    }

    [Fact]
    public void SetTrialsByState_DictionaryChangedAfterTheCall_ReportsTheCountsAsGiven()
    {
        var counts = new Dictionary<string, int> { ["queued"] = 4 };
        AlgoPerfMetrics.SetTrialsByState(counts);

        counts["queued"] = 9;

        Assert.Equal([(4.0, "state=queued")], Read(AlgoPerfMetrics.TrialsByState, () => { }));
    }

    [Fact]
    public void SetClusterMembers_Set_BothGaugesReportTheLastFigures()
    {
        AlgoPerfMetrics.SetClusterMembers(5, 2);
        AlgoPerfMetrics.SetClusterMembers(4, 1);

        var members = Read(AlgoPerfMetrics.ClusterMembers, () => { });
        var unreachable = Read(AlgoPerfMetrics.ClusterUnreachableMembers, () => { });

        Assert.Equal([(4.0, "")], members);
        Assert.Equal([(1.0, "")], unreachable);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, -1)]
    public void SetClusterMembers_NegativeCount_ThrowsArgumentOutOfRange(int members, int unreachable) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AlgoPerfMetrics.SetClusterMembers(members, unreachable));

    [Fact]
    public void SetTrialsByState_ConcurrentCalls_ReportsOneWholeSnapshot()
    {
        var snapshots = Enumerable.Range(0, 8).Select(i => new Dictionary<string, int> { ["queued"] = i, ["running"] = i }).ToArray();

        Parallel.ForEach(snapshots, s => AlgoPerfMetrics.SetTrialsByState(s));
        var seen = Read(AlgoPerfMetrics.TrialsByState, () => { });

        Assert.Equal(2, seen.Count);
        Assert.Equal(seen[0].Value, seen[1].Value);
    }

    [Fact]
    public void RecordRequeue_Reason_AddsOneTaggedWithTheReason()
    {
        var seen = Read(AlgoPerfMetrics.TrialsRequeued, () => AlgoPerfMetrics.RecordRequeue(AlgoPerfMetrics.RequeueGangFailed));

        Assert.Equal([(1.0, "reason=gang-failed")], seen);
    }

    [Fact]
    public void RecordJournalWrite_Elapsed_RecordsSeconds()
    {
        var seen = Read(AlgoPerfMetrics.JournalWriteSeconds, () => AlgoPerfMetrics.RecordJournalWrite(TimeSpan.FromMilliseconds(250)));

        Assert.Equal([(0.25, "")], seen);
    }

    [Fact]
    public void JournalWriteSeconds_Advice_BucketsFromOneMillisecondToTenSeconds()
    {
        Assert.Equal(
            [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
            AlgoPerfMetrics.JournalWriteSeconds.Advice?.HistogramBucketBoundaries);
    }
}
