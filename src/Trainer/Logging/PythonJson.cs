using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AlgoPerf.Trainer.Logging;

/// <summary>
/// Flat JSON objects written exactly as the reference's <c>json.dumps(d, indent=2)</c> writes them (key order kept,
/// <c>", "</c>-less item separators with newlines, <c>": "</c> after keys, <c>NaN</c>/<c>Infinity</c> for
/// non-finite floats), and read back with each value's Python type.
/// </summary>
public static class PythonJson
{
    /// <summary>Serialises a flat object, keys in the given order.</summary>
    public static string Serialize(IEnumerable<KeyValuePair<string, LogValue>> items, int indent = 2)
    {
        ArgumentNullException.ThrowIfNull(items);
        var pad = new string(' ', indent);
        var sb = new StringBuilder();
        foreach (var (key, value) in items)
        {
            sb.Append(sb.Length == 0 ? "{\n" : ",\n").Append(pad).Append(PythonRepr.JsonString(key)).Append(": ").Append(Value(value));
        }

        return sb.Length == 0 ? "{}" : sb.Append("\n}").ToString();
    }

    /// <summary>Parses a flat JSON object of scalars, keeping key order and telling ints from floats as Python does.</summary>
    /// <exception cref="InvalidDataException">Not a flat object of scalars; the message names <paramref name="path"/> and the field.</exception>
    public static IReadOnlyList<KeyValuePair<string, LogValue>> Parse(string path, string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: invalid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {e.Message}", e);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{path}: expected a JSON object, found {doc.RootElement.ValueKind}");
            }

            var result = new List<KeyValuePair<string, LogValue>>();
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                result.Add(new(property.Name, ParseValue(path, property)));
            }

            return result;
        }
    }

    private static LogValue ParseValue(string path, JsonProperty property)
    {
        var e = property.Value;
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                return e.GetString() ?? string.Empty;
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                var raw = e.GetRawText();
                if (raw.AsSpan().IndexOfAny(".eE") < 0 && long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
                {
                    return i;
                }

                return e.GetDouble();
            default:
                throw new InvalidDataException($"{path}: field '{property.Name}' is a {e.ValueKind}, expected a number, string or boolean");
        }
    }

    private static string Value(LogValue value) => value.Kind switch
    {
        LogValueKind.Float when double.IsNaN(value.Number) => "NaN",
        LogValueKind.Float when double.IsPositiveInfinity(value.Number) => "Infinity",
        LogValueKind.Float when double.IsNegativeInfinity(value.Number) => "-Infinity",
        LogValueKind.Float => PythonRepr.Float(value.Number),
        LogValueKind.Integer => value.Integer.ToString(CultureInfo.InvariantCulture),
        LogValueKind.Boolean => value.Integer != 0 ? "true" : "false",
        _ => PythonRepr.JsonString(value.Text ?? string.Empty),
    };
}
