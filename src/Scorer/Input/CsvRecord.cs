using System.Globalization;

namespace AlgoPerf.Scorer.Input;

/// <summary>One CSV data record with typed accessors whose errors name <c>file:line:column: column-name</c>.</summary>
public sealed class CsvRecord
{
    private readonly IReadOnlyList<string> _header;

    internal CsvRecord(string path, int line, IReadOnlyList<string> header, IReadOnlyList<string> fields)
    {
        Path = path;
        Line = line;
        _header = header;
        Fields = fields;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The physical line the record starts on (1-based; the header is line 1).</summary>
    public int Line { get; }

    /// <summary>The raw fields.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>The raw text of field <paramref name="index"/>, trimmed.</summary>
    public string Text(int index) => Fields[index].Trim();

    /// <summary>A non-empty text field.</summary>
    public string RequiredText(int index)
    {
        var s = Text(index);
        return s.Length > 0 ? s : throw Error(index, "empty");
    }

    /// <summary>
    /// A number as Python's <c>float()</c> and pandas read it: decimal or exponent notation, <c>inf</c>/<c>infinity</c>
    /// and <c>nan</c> in any case with an optional sign. An empty field gives <paramref name="empty"/>.
    /// </summary>
    public double Number(int index, double empty)
    {
        var s = Text(index);
        if (s.Length == 0)
        {
            return empty;
        }

        return NumberText.TryParse(s, out var v) ? v : throw Error(index, $"'{s}' is not a number");
    }

    /// <summary>An integer; null for an empty field when <paramref name="allowEmpty"/>.</summary>
    public int? Integer(int index, bool allowEmpty)
    {
        var s = Text(index);
        if (s.Length == 0)
        {
            return allowEmpty ? null : throw Error(index, "empty, expected an integer");
        }

        // pandas writes integer columns that contain NaN as floats ("12.0"); accept those when integral.
        if (int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
        {
            return i;
        }

        if (NumberText.TryParse(s, out var d) && double.IsFinite(d) && d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue)
        {
            return (int)d;
        }

        throw Error(index, $"'{s}' is not an integer");
    }

    /// <summary>An error naming this record's file, line, the field's column number and name.</summary>
    public InvalidDataException Error(int index, string problem) =>
        new($"{Path}:{Line}:{index + 1}: {_header[index]}: {problem}");
}
