using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using AlgoPerf.Contracts.Diagnostics;

namespace AlgoPerf.Seed.Cluster;

/// <summary>
/// Listens to one <see cref="Meter"/> (by default <see cref="AlgoPerfMetrics.MeterName"/>, and only that one) and
/// renders what it recorded in the Prometheus text exposition format 0.0.4 on <see cref="Collect"/>.
/// </summary>
/// <remarks>
/// Counters are summed per tag set and exposed with <c>_total</c>; up-down counters are summed and exposed as gauges;
/// histograms keep cumulative <c>le</c> buckets (the instrument's advised boundaries, else Prometheus' defaults) with
/// <c>_sum</c> and <c>_count</c>; gauges keep the last value. Observable instruments are read on each scrape and report
/// only what their callback returned then. Names are translated as OpenTelemetry's Prometheus exporter does: dots and
/// other characters become <c>_</c> and the unit becomes a suffix (<c>s</c>: <c>_seconds</c>; <c>{...}</c> units add
/// nothing). Measurements arrive on any thread; scrapes are serialised.
/// </remarks>
internal sealed class PrometheusExporter : IDisposable
{
    /// <summary>Prometheus' default buckets, for histograms that advise none.</summary>
    private static readonly double[] s_defaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly string _meterName;
    private readonly MeterListener _listener;
    private readonly ConcurrentDictionary<Instrument, Series> _instruments = new();
    private readonly Lock _scrape = new();
    private bool _disposed;

    /// <summary>An exporter of the product's meter, <see cref="AlgoPerfMetrics.Meter"/>.</summary>
    public PrometheusExporter()
        : this(AlgoPerfMetrics.Meter.Name)
    {
    }

    /// <summary>An exporter of the meter named <paramref name="meterName"/> (tests give a private one).</summary>
    public PrometheusExporter(string meterName)
    {
        ArgumentException.ThrowIfNullOrEmpty(meterName);
        _meterName = meterName;
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == _meterName && Series.For(instrument) is { } series)
                {
                    _instruments[instrument] = series;
                    listener.EnableMeasurementEvents(instrument, series);
                }
            },
            MeasurementsCompleted = (instrument, _) => _instruments.TryRemove(instrument, out Series? _),
        };
        _listener.SetMeasurementEventCallback<byte>((i, v, tags, state) => ((Series)state!).Add(v, tags));
        _listener.SetMeasurementEventCallback<short>((i, v, tags, state) => ((Series)state!).Add(v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, state) => ((Series)state!).Add(v, tags));
        _listener.SetMeasurementEventCallback<long>((i, v, tags, state) => ((Series)state!).Add(v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, state) => ((Series)state!).Add(v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, state) => ((Series)state!).Add(v, tags));
        _listener.SetMeasurementEventCallback<decimal>((i, v, tags, state) => ((Series)state!).Add((double)v, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments and renders every instrument of the meter in the text format.</summary>
    /// <exception cref="ObjectDisposedException">The exporter was disposed.</exception>
    public string Collect()
    {
        lock (_scrape)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var all = _instruments.Values.ToArray();
            foreach (var series in all.Where(s => s.Observable))
            {
                series.Clear();
            }

            _listener.RecordObservableInstruments();
            var text = new StringBuilder();
            foreach (var series in all.OrderBy(s => s.Name, StringComparer.Ordinal))
            {
                series.WriteTo(text);
            }

            return text.ToString();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_scrape)
        {
            _disposed = true;
        }

        _listener.Dispose();
    }

    /// <summary>The Prometheus name of an instrument: sanitised, with its unit and (counters) <c>_total</c> as suffixes.</summary>
    internal static string MetricName(string instrumentName, string? unit, bool counter)
    {
        var name = Sanitize(instrumentName);
        var suffix = unit switch
        {
            null or "" or "1" => "",
            "s" => "seconds",
            "ms" => "milliseconds",
            "By" => "bytes",
            _ when unit.StartsWith('{') => "",
            _ => Sanitize(unit),
        };
        if (suffix.Length > 0 && !name.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            name += "_" + suffix;
        }

        return counter && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    /// <summary>A label value as the text format quotes it: backslash, double quote and line feed escaped.</summary>
    internal static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>A sample value in the text format: invariant culture, shortest round-trip form, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    internal static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string Sanitize(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':' ? c : '_').ToArray();
        return chars.Length == 0 || char.IsAsciiDigit(chars[0]) ? "_" + new string(chars) : new string(chars);
    }

    /// <summary>
    /// The label set of a measurement, rendered as it is written (<c>{a="x",b="y"}</c>, sorted by name, empty for none):
    /// the key of its series. The instrument's own tags come first; a measurement's tag of the same name overrides.
    /// </summary>
    private static string Labels(IEnumerable<KeyValuePair<string, object?>>? fixedTags, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty && fixedTags is null)
        {
            return "";
        }

        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in fixedTags ?? [])
        {
            labels[Sanitize(key)] = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        }

        foreach (var (key, value) in tags)
        {
            labels[Sanitize(key)] = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        }

        return labels.Count == 0 ? "" : "{" + string.Join(",", labels.Select(l => $"{l.Key}=\"{EscapeLabelValue(l.Value)}\"")) + "}";
    }

    /// <summary><paramref name="labels"/> (as <see cref="Labels"/> renders them) with one more label last.</summary>
    private static string WithLabel(string labels, string name, string value) =>
        labels.Length == 0 ? $"{{{name}=\"{value}\"}}" : $"{labels[..^1]},{name}=\"{value}\"}}";

    /// <summary>What one instrument recorded, per label set, and how it is written.</summary>
    private abstract class Series(Instrument instrument, string name, string type, bool observable)
    {
        protected Lock Gate { get; } = new();

        public string Name { get; } = name;

        public bool Observable { get; } = observable;

        public static Series? For(Instrument instrument)
        {
            var kind = instrument.GetType() is { IsGenericType: true } t ? t.GetGenericTypeDefinition() : null;
            string Named(bool counter) => MetricName(instrument.Name, instrument.Unit, counter);
            return kind switch
            {
                _ when kind == typeof(Counter<>) => new Sums(instrument, Named(true), "counter", observable: false, replace: false),
                _ when kind == typeof(ObservableCounter<>) => new Sums(instrument, Named(true), "counter", observable: true, replace: true),
                _ when kind == typeof(UpDownCounter<>) => new Sums(instrument, Named(false), "gauge", observable: false, replace: false),
                _ when kind == typeof(ObservableUpDownCounter<>) => new Sums(instrument, Named(false), "gauge", observable: true, replace: true),
                _ when kind == typeof(Gauge<>) => new Sums(instrument, Named(false), "gauge", observable: false, replace: true),
                _ when kind == typeof(ObservableGauge<>) => new Sums(instrument, Named(false), "gauge", observable: true, replace: true),
                _ when kind == typeof(Histogram<>) => new Buckets(instrument, Named(false), BucketsOf(instrument)),
                _ => null,
            };
        }

        public void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = Labels(instrument.Tags, tags);
            lock (Gate)
            {
                AddLocked(labels, value);
            }
        }

        public abstract void Clear();

        public void WriteTo(StringBuilder text)
        {
            var help = string.IsNullOrEmpty(instrument.Description) ? instrument.Name : instrument.Description;
            text.Append("# HELP ").Append(Name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
            text.Append("# TYPE ").Append(Name).Append(' ').Append(type).Append('\n');
            lock (Gate)
            {
                WriteSamplesLocked(text);
            }
        }

        protected abstract void AddLocked(string labels, double value);

        protected abstract void WriteSamplesLocked(StringBuilder text);

        private static double[] BucketsOf(Instrument instrument)
        {
            var advised = instrument switch
            {
                Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
                Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
                Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
                Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
                _ => null,
            };
            return advised?.ToArray() ?? s_defaultBuckets;
        }
    }

    /// <summary>Counters and gauges: one value per label set, added to or replaced.</summary>
    private sealed class Sums(Instrument instrument, string name, string type, bool observable, bool replace)
        : Series(instrument, name, type, observable)
    {
        private readonly SortedDictionary<string, double> _values = new(StringComparer.Ordinal);

        public override void Clear()
        {
            lock (Gate)
            {
                _values.Clear();
            }
        }

        protected override void AddLocked(string labels, double value) =>
            _values[labels] = replace || !_values.TryGetValue(labels, out var sum) ? value : sum + value;

        protected override void WriteSamplesLocked(StringBuilder text)
        {
            foreach (var (labels, value) in _values)
            {
                text.Append(Name).Append(labels).Append(' ').Append(FormatValue(value)).Append('\n');
            }
        }
    }

    /// <summary>A histogram: per label set, the count in each bucket (not cumulative), the sum and the count.</summary>
    private sealed class Buckets(Instrument instrument, string name, double[] bounds)
        : Series(instrument, name, "histogram", observable: false)
    {
        private readonly SortedDictionary<string, (long[] Counts, double Sum)> _values = new(StringComparer.Ordinal);

        public override void Clear()
        {
        }

        protected override void AddLocked(string labels, double value)
        {
            if (!_values.TryGetValue(labels, out var point))
            {
                point = (new long[bounds.Length + 1], 0);
            }

            // The first bucket whose upper bound is >= the value (le is inclusive); past the last bound: +Inf.
            var index = Array.BinarySearch(bounds, value);
            point.Counts[index >= 0 ? index : ~index]++;
            _values[labels] = (point.Counts, point.Sum + value);
        }

        protected override void WriteSamplesLocked(StringBuilder text)
        {
            foreach (var (labels, (counts, sum)) in _values)
            {
                long cumulative = 0;
                for (var i = 0; i < counts.Length; i++)
                {
                    cumulative += counts[i];
                    var le = i < bounds.Length ? FormatValue(bounds[i]) : "+Inf";
                    text.Append(Name).Append("_bucket").Append(WithLabel(labels, "le", le)).Append(' ').Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
                }

                text.Append(Name).Append("_sum").Append(labels).Append(' ').Append(FormatValue(sum)).Append('\n');
                text.Append(Name).Append("_count").Append(labels).Append(' ').Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }
    }
}
