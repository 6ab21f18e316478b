using System.Globalization;
using System.Text;
using System.Text.Json;
using AlgoPerf.Trainer.Data;
using AlgoPerf.Trainer.Input;
using AlgoPerf.Trainer.Timing;

namespace AlgoPerf.Trainer.Checkpoints;

/// <summary>
/// The JSON metadata string of a checkpoint's tensor file: the <see cref="CheckpointHeader"/> and the scalars of
/// <see cref="CheckpointWriter"/>. Doubles are written in shortest round-trip form (exact), non-finite ones as the
/// strings <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>; unsigned 64-bit values as decimal strings. Parsing checks
/// every field and names the one that is wrong.
/// </summary>
internal static class CheckpointMetadata
{
    public const string Format = "algoperf-trial-checkpoint";

    /// <summary>
    /// The format this build writes and reads: 2 since the trainer runs on TorchSharp (LibTorch 2.10). Version 1 was
    /// written by the home-made LibTorch 1.13 binding; its generator states and tensors are not this build's, so it is
    /// refused (<see cref="IncompatibleCheckpointException"/>) rather than resumed or silently started over.
    /// </summary>
    public const int Version = 2;

    /// <summary>The format of the LibTorch 1.13 binding's checkpoints.</summary>
    public const int OldBindingVersion = 1;

    public static string Write(CheckpointHeader header, IReadOnlyList<KeyValuePair<string, object>> scalars)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteNumber("version", Version);
            w.WriteString("workload", header.Workload);
            w.WriteString("submission", header.Submission);
            w.WriteString("seed", header.Seed.ToString(CultureInfo.InvariantCulture));
            w.WriteNumber("global_step", header.GlobalStep);
            w.WriteNumber("preemption_count", header.PreemptionCount);

            var s = header.TrainState;
            w.WriteStartObject("train_state");
            w.WriteBoolean("validation_goal_reached", s.ValidationGoalReached);
            w.WriteBoolean("test_goal_reached", s.TestGoalReached);
            w.WriteBoolean("is_time_remaining", s.IsTimeRemaining);
            WriteDouble(w, "last_eval_time", s.LastEvalTime);
            w.WriteBoolean("training_complete", s.TrainingComplete);
            WriteDouble(w, "accumulated_submission_time", s.AccumulatedSubmissionTime);
            WriteDouble(w, "accumulated_eval_time", s.AccumulatedEvalTime);
            WriteDouble(w, "accumulated_logging_time", s.AccumulatedLoggingTime);
            WriteDouble(w, "last_step_end_time", s.LastStepEndTime);
            w.WriteEndObject();

            var p = header.InputPosition;
            w.WriteStartObject("input_position");
            w.WriteNumber("epoch", p.Epoch);
            w.WriteNumber("index", p.Index);
            w.WriteStartArray("rng");
            foreach (var word in new[] { p.EpochStartRng.S0, p.EpochStartRng.S1, p.EpochStartRng.S2, p.EpochStartRng.S3 })
            {
                w.WriteStringValue(word.ToString(CultureInfo.InvariantCulture));
            }

            w.WriteEndArray();
            w.WriteEndObject();

            w.WriteStartArray("eval_history");
            foreach (var e in header.EvalHistory)
            {
                w.WriteStartObject();
                w.WriteNumber("global_step", e.GlobalStep);
                w.WriteStartArray("metrics");
                foreach (var (name, value) in e.Metrics)
                {
                    w.WriteStartArray();
                    w.WriteStringValue(name);
                    WriteDoubleValue(w, value);
                    w.WriteEndArray();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();

            w.WriteStartObject("scalars");
            foreach (var (name, value) in scalars)
            {
                w.WriteStartObject(name);
                switch (value)
                {
                    case double d:
                        w.WriteString("kind", "double");
                        w.WritePropertyName("value");
                        WriteDoubleValue(w, d);
                        break;
                    case long l:
                        w.WriteString("kind", "int64");
                        w.WriteNumber("value", l);
                        break;
                    case ulong u:
                        w.WriteString("kind", "uint64");
                        w.WriteString("value", u.ToString(CultureInfo.InvariantCulture));
                        break;
                    case string str:
                        w.WriteString("kind", "string");
                        w.WriteString("value", str);
                        break;
                    default:
                        throw new ArgumentException($"checkpoint scalar '{name}' has unsupported type {value.GetType()}", nameof(scalars));
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static (CheckpointHeader Header, Dictionary<string, CheckpointScalar> Scalars) Parse(string path, string metadata)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(metadata);
        }
        catch (JsonException e)
        {
            throw new TensorFileCorruptException(path, "metadata", "not JSON: " + e.Message);
        }

        using (doc)
        {
            var p = new Fields(path, doc.RootElement, "metadata");
            var format = p.String("format");
            if (format != Format)
            {
                throw p.Error("format", $"'{format}' is not a trial checkpoint ('{Format}')");
            }

            var version = p.Int64("version");
            if (version == OldBindingVersion)
            {
                throw new IncompatibleCheckpointException(
                    path,
                    $"{path}: metadata.version: checkpoint format {OldBindingVersion} was written by the LibTorch 1.13 binding of earlier builds; " +
                    $"this build (TorchSharp, format {Version}) cannot resume it. Finish the trial with the build that wrote it, or move the " +
                    "trial's checkpoints directory away to start the trial again from step 0");
            }

            if (version != Version)
            {
                throw p.Error("version", string.Create(CultureInfo.InvariantCulture, $"version {version} is not supported (this build reads {Version})"));
            }

            var ts = p.Object("train_state");
            var state = new TrainState(
                ts.Bool("validation_goal_reached"),
                ts.Bool("test_goal_reached"),
                ts.Bool("is_time_remaining"),
                ts.Double("last_eval_time"),
                ts.Bool("training_complete"),
                ts.Double("accumulated_submission_time"),
                ts.Double("accumulated_eval_time"),
                ts.Double("accumulated_logging_time"),
                ts.Double("last_step_end_time"));

            var ip = p.Object("input_position");
            var rng = ip.Array("rng");
            if (rng.Count != 4)
            {
                throw ip.Error("rng", string.Create(CultureInfo.InvariantCulture, $"expected 4 words, found {rng.Count}"));
            }

            var words = new ulong[4];
            for (var i = 0; i < 4; i++)
            {
                words[i] = ip.UInt64Text(rng[i], string.Create(CultureInfo.InvariantCulture, $"rng[{i}]"));
            }

            var index = ip.Int64("index");
            if (index is < 0 or > int.MaxValue)
            {
                throw ip.Error("index", string.Create(CultureInfo.InvariantCulture, $"{index} is out of range"));
            }

            var position = new InputPosition(ip.Int64("epoch"), (int)index, new RandomState(words[0], words[1], words[2], words[3]));

            var evals = new List<EvalRecord>();
            var history = p.Array("eval_history");
            for (var i = 0; i < history.Count; i++)
            {
                var e = p.Element(history[i], string.Create(CultureInfo.InvariantCulture, $"eval_history[{i}]"));
                var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
                var pairs = e.Array("metrics");
                for (var k = 0; k < pairs.Count; k++)
                {
                    var pair = pairs[k];
                    var where = string.Create(CultureInfo.InvariantCulture, $"metrics[{k}]");
                    if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2 || pair[0].ValueKind != JsonValueKind.String)
                    {
                        throw e.Error(where, "expected [name, value]");
                    }

                    if (!metrics.TryAdd(pair[0].GetString()!, e.DoubleValue(pair[1], where)))
                    {
                        throw e.Error(where, $"metric '{pair[0].GetString()}' appears twice");
                    }
                }

                evals.Add(new EvalRecord(e.Int64("global_step"), metrics));
            }

            var scalars = new Dictionary<string, CheckpointScalar>(StringComparer.Ordinal);
            var so = p.Object("scalars");
            foreach (var prop in so.Properties())
            {
                var f = so.Element(prop.Value, prop.Name);
                var kind = f.String("kind");
                scalars[prop.Name] = kind switch
                {
                    "double" => CheckpointScalar.Of(f.Double("value")),
                    "int64" => CheckpointScalar.Of(f.Int64("value")),
                    "uint64" => CheckpointScalar.Of(f.UInt64Text(f.Get("value"), "value")),
                    "string" => CheckpointScalar.Of(f.String("value")),
                    _ => throw f.Error("kind", $"unknown scalar kind '{kind}'"),
                };
            }

            var step = p.Int64("global_step");
            var preemption = p.Int64("preemption_count");
            if (step < 0 || preemption is < 0 or > int.MaxValue)
            {
                throw p.Error("global_step", "negative step or preemption count");
            }

            var header = new CheckpointHeader(p.String("workload"), p.String("submission"), p.UInt64Text(p.Get("seed"), "seed"), step, (int)preemption, state, position, evals);
            return (header, scalars);
        }
    }

    private static void WriteDouble(Utf8JsonWriter w, string name, double value)
    {
        w.WritePropertyName(name);
        WriteDoubleValue(w, value);
    }

    private static void WriteDoubleValue(Utf8JsonWriter w, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumberValue(value);
        }
        else
        {
            w.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    /// <summary>Typed access to one JSON object whose errors name the file and the dotted field.</summary>
    private readonly struct Fields(string path, JsonElement element, string where)
    {
        public TensorFileCorruptException Error(string field, string detail) => new(path, where + "." + field, detail);

        public JsonElement Get(string name)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new TensorFileCorruptException(path, where, "expected a JSON object");
            }

            return element.TryGetProperty(name, out var v) ? v : throw Error(name, "missing");
        }

        public Fields Object(string name) => Element(Get(name), name);

        public Fields Element(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object ? new Fields(path, e, where + "." + name) : throw Error(name, "expected a JSON object");

        public IEnumerable<JsonProperty> Properties() => element.EnumerateObject();

        public List<JsonElement> Array(string name)
        {
            var v = Get(name);
            return v.ValueKind == JsonValueKind.Array ? [.. v.EnumerateArray()] : throw Error(name, "expected an array");
        }

        public string String(string name)
        {
            var v = Get(name);
            return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Error(name, "expected a string");
        }

        public bool Bool(string name)
        {
            var v = Get(name);
            return v.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Error(name, "expected true or false"),
            };
        }

        public long Int64(string name)
        {
            var v = Get(name);
            return v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l) ? l : throw Error(name, "expected an integer");
        }

        public double Double(string name) => DoubleValue(Get(name), name);

        public double DoubleValue(JsonElement v, string name) => v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetDouble(out var d) => d,
            JsonValueKind.String when v.GetString() == "NaN" => double.NaN,
            JsonValueKind.String when v.GetString() == "Infinity" => double.PositiveInfinity,
            JsonValueKind.String when v.GetString() == "-Infinity" => double.NegativeInfinity,
            _ => throw Error(name, "expected a number"),
        };

        public ulong UInt64Text(JsonElement v, string name) =>
            v.ValueKind == JsonValueKind.String && ulong.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var u)
                ? u
                : throw Error(name, "expected an unsigned integer as a decimal string");
    }
}
