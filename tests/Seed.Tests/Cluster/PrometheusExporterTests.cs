using System.Diagnostics.Metrics;
using AlgoPerf.Contracts.Diagnostics;
using AlgoPerf.Seed.Cluster;

namespace AlgoPerf.Seed.Tests.Cluster;

public sealed class PrometheusExporterTests
{
    /// <summary>A meter of its own per test: metrics are process-global and tests run in parallel.</summary>
    private static Meter PrivateMeter() => new($"AlgoPerf.Tests.{Guid.NewGuid():N}");

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    [Fact]
    public void Collect_CounterAddedWithTags_WritesHelpTypeAndOneTotalPerTagSet()
    {
        using var meter = PrivateMeter();
        using var sut = new PrometheusExporter(meter.Name);
        var counter = meter.CreateCounter<long>("test.requests", "{request}", "Requests served.");

        counter.Add(4);
        counter.Add(2, Tag("route", "a"));
        counter.Add(3, Tag("route", "a"));
        counter.Add(1, Tag("route", "b"));

        Assert.Equal(
            """
            # HELP test_requests_total Requests served.
            # TYPE test_requests_total counter
            test_requests_total 4
            test_requests_total{route="a"} 5
            test_requests_total{route="b"} 1

            """,
            sut.Collect());
    }

    [Fact]
    public void Collect_HistogramWithAdvisedBuckets_WritesCumulativeBucketsWithInfSumAndCount()
    {
        using var meter = PrivateMeter();
        using var sut = new PrometheusExporter(meter.Name);
        var histogram = meter.CreateHistogram("test.latency", "s", "Latency.", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 4] });

        foreach (var value in new[] { 0.25, 0.5, 2, 8 })
        {
            histogram.Record(value, Tag("op", "write"));
        }

        Assert.Equal(
            """
            # HELP test_latency_seconds Latency.
            # TYPE test_latency_seconds histogram
            test_latency_seconds_bucket{op="write",le="0.5"} 2
            test_latency_seconds_bucket{op="write",le="1"} 2
            test_latency_seconds_bucket{op="write",le="4"} 3
            test_latency_seconds_bucket{op="write",le="+Inf"} 4
            test_latency_seconds_sum{op="write"} 10.75
            test_latency_seconds_count{op="write"} 4

            """,
            sut.Collect());
    }

    [Fact]
    public void Collect_HistogramWithoutAdvice_UsesPrometheusDefaultBuckets()
    {
        using var meter = PrivateMeter();
        using var sut = new PrometheusExporter(meter.Name);
        meter.CreateHistogram<double>("test.wait").Record(0.2);

        var buckets = sut.Collect().Split('\n').Where(l => l.StartsWith("test_wait_bucket", StringComparison.Ordinal)).ToArray();

        Assert.Equal(
            [
                "test_wait_bucket{le=\"0.005\"} 0", "test_wait_bucket{le=\"0.01\"} 0", "test_wait_bucket{le=\"0.025\"} 0",
                "test_wait_bucket{le=\"0.05\"} 0", "test_wait_bucket{le=\"0.1\"} 0", "test_wait_bucket{le=\"0.25\"} 1",
                "test_wait_bucket{le=\"0.5\"} 1", "test_wait_bucket{le=\"1\"} 1", "test_wait_bucket{le=\"2.5\"} 1",
                "test_wait_bucket{le=\"5\"} 1", "test_wait_bucket{le=\"10\"} 1", "test_wait_bucket{le=\"+Inf\"} 1",
            ],
            buckets);
    }

    [Fact]
    public void Collect_LabelValueWithQuoteBackslashAndNewline_EscapesThemAndSanitisesTheLabelName()
    {
        using var meter = PrivateMeter();
        using var sut = new PrometheusExporter(meter.Name);
        var counter = meter.CreateCounter<int>("test.hits", unit: null, description: "Line one\nwith a \\ backslash.");

        counter.Add(1, Tag("http.path", "a\"b\\c\nd"));

        Assert.Equal(
            """
            # HELP test_hits_total Line one\nwith a \\ backslash.
            # TYPE test_hits_total counter
            test_hits_total{http_path="a\"b\\c\nd"} 1

            """,
            sut.Collect());
    }

    [Fact]
    public void Collect_ObservableGauge_ReportsOnlyWhatTheCallbackReturnsAtEachScrape()
    {
        using var meter = PrivateMeter();
        using var sut = new PrometheusExporter(meter.Name);
        Measurement<int>[] current = [new(2, Tag("state", "queued")), new(1, Tag("state", "running"))];
        meter.CreateObservableGauge("test.trials", () => current, "{trial}", "Trials.");

        var first = sut.Collect();
        current = [new(3, Tag("state", "finished"))];
        var second = sut.Collect();

        Assert.Equal("# HELP test_trials Trials.\n# TYPE test_trials gauge\ntest_trials{state=\"queued\"} 2\ntest_trials{state=\"running\"} 1\n", first);
        Assert.Equal("# HELP test_trials Trials.\n# TYPE test_trials gauge\ntest_trials{state=\"finished\"} 3\n", second);
    }

    [Fact]
    public void Collect_UpDownCounter_IsAGaugeOfTheSum()
    {
        using var meter = PrivateMeter();
        using var sut = new PrometheusExporter(meter.Name);
        var inFlight = meter.CreateUpDownCounter<long>("test.in_flight", "{request}", "In flight.");

        inFlight.Add(5);
        inFlight.Add(-2);

        Assert.Equal("# HELP test_in_flight In flight.\n# TYPE test_in_flight gauge\ntest_in_flight 3\n", sut.Collect());
    }

    [Fact]
    public void Collect_InstrumentsOfAnotherMeter_AreNotExported()
    {
        using var meter = PrivateMeter();
        using var other = PrivateMeter();
        using var sut = new PrometheusExporter(meter.Name);
        meter.CreateCounter<long>("test.mine").Add(1);
        other.CreateCounter<long>("test.theirs").Add(1);

        Assert.Equal("# HELP test_mine_total test.mine\n# TYPE test_mine_total counter\ntest_mine_total 1\n", sut.Collect());
    }

    [Fact]
    public void Collect_MeterDisposed_DropsItsInstruments()
    {
        var meter = PrivateMeter();
        using var sut = new PrometheusExporter(meter.Name);
        meter.CreateCounter<long>("test.gone").Add(1);

        meter.Dispose();

        Assert.Equal("", sut.Collect());
    }

    [Fact]
    public void Collect_AfterDispose_ThrowsObjectDisposed()
    {
        using var meter = PrivateMeter();
        var sut = new PrometheusExporter(meter.Name);

        sut.Dispose();

        Assert.Throws<ObjectDisposedException>(() => sut.Collect());
    }

    [Fact]
    public void Collect_ProductMeter_ExportsTheAlgoPerfInstrumentsUnderTheirPrometheusNames()
    {
        using var sut = new PrometheusExporter();
        var run = Guid.NewGuid().ToString("N");

        // A tag of this test's own keeps its series apart from whatever other tests record on the global meter.
        AlgoPerfMetrics.EvalsRecorded.Add(3, Tag("test", run));
        AlgoPerfMetrics.TrialsRequeued.Add(2, Tag(AlgoPerfMetrics.ReasonTag, AlgoPerfMetrics.RequeueMemberLost), Tag("test", run));
        AlgoPerfMetrics.JournalWriteSeconds.Record(0.003, Tag("test", run));
        var lines = sut.Collect().Split('\n');

        Assert.Contains($"algoperf_evals_recorded_total{{test=\"{run}\"}} 3", lines);
        Assert.Contains($"algoperf_trials_requeued_total{{reason=\"member-lost\",test=\"{run}\"}} 2", lines);
        Assert.Equal(
            [
                $"algoperf_journal_write_seconds_bucket{{test=\"{run}\",le=\"0.001\"}} 0",
                $"algoperf_journal_write_seconds_bucket{{test=\"{run}\",le=\"0.0025\"}} 0",
                $"algoperf_journal_write_seconds_bucket{{test=\"{run}\",le=\"0.005\"}} 1",
            ],
            lines.Where(l => l.StartsWith("algoperf_journal_write_seconds_bucket", StringComparison.Ordinal) && l.Contains(run, StringComparison.Ordinal)).Take(3));
        Assert.Contains($"algoperf_journal_write_seconds_bucket{{test=\"{run}\",le=\"10\"}} 1", lines);
        Assert.Contains($"algoperf_journal_write_seconds_count{{test=\"{run}\"}} 1", lines);
        Assert.Contains("# TYPE algoperf_evals_recorded_total counter", lines);
        Assert.Contains("# TYPE algoperf_trials_requeued_total counter", lines);
        Assert.Contains("# TYPE algoperf_journal_write_seconds histogram", lines);
        Assert.Contains("# TYPE algoperf_trials gauge", lines);
        Assert.Contains("# TYPE algoperf_cluster_members gauge", lines);
        Assert.Contains("# TYPE algoperf_cluster_unreachable_members gauge", lines);
    }

    [Theory]
    [InlineData("algoperf.journal.write", "s", false, "algoperf_journal_write_seconds")]
    [InlineData("algoperf.evals.recorded", "{eval}", true, "algoperf_evals_recorded_total")]
    [InlineData("algoperf.cluster.unreachable_members", "{member}", false, "algoperf_cluster_unreachable_members")]
    [InlineData("wait_seconds", "s", false, "wait_seconds")]
    [InlineData("sent", "By", true, "sent_bytes_total")]
    [InlineData("requests_total", null, true, "requests_total")]
    [InlineData("9lives", null, false, "_9lives")]
    public void MetricName_InstrumentNameAndUnit_TranslatesToThePrometheusName(string instrument, string? unit, bool counter, string expected) =>
        Assert.Equal(expected, PrometheusExporter.MetricName(instrument, unit, counter));

    [Theory]
    [InlineData(0.001, "0.001")]
    [InlineData(1e-7, "1E-07")]
    [InlineData(12345678.5, "12345678.5")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    public void FormatValue_Double_WritesTheInvariantRoundTripForm(double value, string expected) =>
        Assert.Equal(expected, PrometheusExporter.FormatValue(value));
}
