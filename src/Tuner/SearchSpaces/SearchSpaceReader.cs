using System.Text.Json;

namespace AlgoPerf.Tuner.SearchSpaces;

/// <summary>
/// Reads AlgoPerf <c>tuning_search_space.json</c> files unchanged, keeping key order (it fixes the Halton
/// dimensions). Both formats of <c>halton.generate_search</c> are accepted:
/// <list type="bullet">
/// <item>dict: <c>{"name": {"min": a, "max": b, "scaling": "log"|"linear"}}</c> or <c>{"name": {"feasible_points": [...]}}</c>;</item>
/// <item>list: <c>[{"name": value, ...}, ...]</c>, fixed points used in file order.</item>
/// </list>
/// Every problem is an <see cref="InvalidDataException"/> whose message names the file and the key (and the line
/// and column for malformed JSON). Stricter than the reference, on purpose (<c>docs/tuner.md</c>): an unknown
/// scaling, unknown keys in a spec, a spec with both a range and feasible points, duplicate keys and non-numeric
/// values are errors instead of being silently treated as linear, ignored, or failing later in a trial.
/// </summary>
public static class SearchSpaceReader
{
    private static readonly string[] s_rangeKeys = ["min", "max", "scaling"];

    /// <summary>Reads and validates a search-space file.</summary>
    /// <exception cref="InvalidDataException">The file is empty, not JSON, or not a valid search space.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static SearchSpace ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses and validates search-space JSON text; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The text is empty, not JSON, or not a valid search space.</exception>
    public static SearchSpace Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        if (string.IsNullOrWhiteSpace(json))
        {
            throw Error(source, null, "the file is empty (expected a JSON object of hyperparameters or a JSON array of points)");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $"line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}: " : string.Empty;
            throw new InvalidDataException($"{source}: invalid JSON at {where}{FirstSentence(e.Message)}", e);
        }

        using (doc)
        {
            return doc.RootElement.ValueKind switch
            {
                JsonValueKind.Object => ParseDict(doc.RootElement, source),
                JsonValueKind.Array => ParseList(doc.RootElement, source),
                var kind => throw Error(source, null, $"expected a JSON object of hyperparameters or a JSON array of points, got {Describe(kind)}"),
            };
        }
    }

    private static SearchSpace ParseDict(JsonElement root, string source)
    {
        var specs = new List<HyperparameterSpec>();
        foreach (var (name, spec) in Properties(root, source, null))
        {
            specs.Add(ParseSpec(name, spec, source));
        }

        return specs.Count == 0
            ? throw Error(source, null, "the search space has no hyperparameters")
            : SearchSpace.Quasirandom(specs, source);
    }

    private static HyperparameterSpec ParseSpec(string name, JsonElement spec, string source)
    {
        if (spec.ValueKind != JsonValueKind.Object)
        {
            throw Error(source, name, $"expected an object with min/max/scaling or feasible_points, got {Describe(spec.ValueKind)}");
        }

        var fields = Properties(spec, source, name).ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        if (fields.TryGetValue("feasible_points", out var feasible))
        {
            var extra = fields.Keys.Where(k => k != "feasible_points").ToList();
            if (extra.Count > 0)
            {
                throw Error(source, name, $"feasible_points cannot be combined with {string.Join(", ", extra)} (the reference would silently ignore them)");
            }

            if (feasible.ValueKind != JsonValueKind.Array)
            {
                throw Error(source, name + ".feasible_points", $"expected an array of numbers, got {Describe(feasible.ValueKind)}");
            }

            var points = new List<double>();
            var i = 0;
            foreach (var p in feasible.EnumerateArray())
            {
                points.Add(Number(p, source, $"{name}.feasible_points[{i++}]"));
            }

            return points.Count == 0
                ? throw Error(source, name + ".feasible_points", "is empty (a discrete hyperparameter needs at least one feasible point)")
                : HyperparameterSpec.Discrete(name, points);
        }

        var unknown = fields.Keys.Where(k => !s_rangeKeys.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw Error(source, name, $"unknown field{(unknown.Count > 1 ? "s" : string.Empty)} {string.Join(", ", unknown)} (expected min, max, scaling or feasible_points)");
        }

        foreach (var required in s_rangeKeys)
        {
            if (!fields.ContainsKey(required))
            {
                throw Error(source, name, $"missing '{required}' (a range needs min, max and scaling; a discrete hyperparameter needs feasible_points)");
            }
        }

        var min = Number(fields["min"], source, name + ".min");
        var max = Number(fields["max"], source, name + ".max");
        var scalingElement = fields["scaling"];
        var scalingText = scalingElement.ValueKind == JsonValueKind.String ? scalingElement.GetString() : null;
        var scaling = scalingText switch
        {
            "log" => HyperparameterScaling.Log,
            "linear" => HyperparameterScaling.Linear,
            _ => throw Error(source, name + ".scaling", $"unknown scaling {(scalingText is null ? Describe(scalingElement.ValueKind) : $"'{scalingText}'")} (expected \"log\" or \"linear\")"),
        };

        if (min > max)
        {
            throw Error(source, name, $"min {min:R} is greater than max {max:R}");
        }

        if (scaling == HyperparameterScaling.Log && min <= 0)
        {
            throw Error(source, name, $"log scaling needs min > 0 (got min {min:R})");
        }

        return HyperparameterSpec.Range(name, min, max, scaling);
    }

    private static SearchSpace ParseList(JsonElement root, string source)
    {
        var points = new List<HyperparameterPoint>();
        IReadOnlyList<string>? names = null;
        var index = 0;
        foreach (var entry in root.EnumerateArray())
        {
            var where = $"[{index}]";
            if (entry.ValueKind != JsonValueKind.Object)
            {
                throw Error(source, where, $"expected an object of hyperparameter values, got {Describe(entry.ValueKind)}");
            }

            var values = Properties(entry, source, where)
                .Select(p => new KeyValuePair<string, double>(p.Name, Number(p.Value, source, $"{where}.{p.Name}")))
                .ToList();
            if (names is null)
            {
                if (values.Count == 0)
                {
                    throw Error(source, where, "the first point has no hyperparameters");
                }

                names = values.Select(v => v.Key).ToList();
            }
            else
            {
                var missing = names.Except(values.Select(v => v.Key), StringComparer.Ordinal).ToList();
                var extra = values.Select(v => v.Key).Except(names, StringComparer.Ordinal).ToList();
                if (missing.Count > 0 || extra.Count > 0)
                {
                    var parts = new List<string>();
                    if (missing.Count > 0)
                    {
                        parts.Add("missing " + string.Join(", ", missing));
                    }

                    if (extra.Count > 0)
                    {
                        parts.Add("extra " + string.Join(", ", extra));
                    }

                    throw Error(source, where, $"has different keys from point [0] ({string.Join("; ", parts)})");
                }

                // Values follow the first point's key order, as the reference's namedtuple(**trial) does.
                values = names.Select(n => values.First(v => v.Key == n)).ToList();
            }

            points.Add(new HyperparameterPoint(values));
            index++;
        }

        return points.Count == 0
            ? throw Error(source, null, "the list of points is empty")
            : SearchSpace.Fixed(points, source);
    }

    /// <summary>An object's properties in document order; duplicate keys are an error (Python would keep the last silently).</summary>
    private static List<(string Name, JsonElement Value)> Properties(JsonElement obj, string source, string? where)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<(string, JsonElement)>();
        foreach (var p in obj.EnumerateObject())
        {
            if (!seen.Add(p.Name))
            {
                throw Error(source, where is null ? p.Name : $"{where}.{p.Name}", "duplicate key");
            }

            list.Add((p.Name, p.Value));
        }

        return list;
    }

    private static double Number(JsonElement e, string source, string key)
    {
        if (e.ValueKind != JsonValueKind.Number)
        {
            throw Error(source, key, $"expected a number, got {Describe(e.ValueKind)}{(e.ValueKind == JsonValueKind.String ? $" \"{e.GetString()}\"" : string.Empty)}");
        }

        var value = e.GetDouble();
        return double.IsFinite(value) ? value : throw Error(source, key, $"number {e.GetRawText()} is out of range for a double");
    }

    private static InvalidDataException Error(string source, string? key, string message) =>
        new(key is null ? $"{source}: {message}" : $"{source}: {key}: {message}");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    // System.Text.Json appends "Path: $ | LineNumber: 0 | BytePositionInLine: 3." (0-based) to its messages; we give
    // the 1-based line and column ourselves.
    private static string FirstSentence(string message)
    {
        foreach (var marker in (string[])[" Path:", " LineNumber:"])
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut];
            }
        }

        return message.TrimEnd();
    }
}
