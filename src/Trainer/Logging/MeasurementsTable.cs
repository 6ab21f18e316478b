using System.Globalization;
using System.Text;

namespace AlgoPerf.Trainer.Logging;

/// <summary>
/// A measurements CSV with the reference's pandas semantics (<c>logger_utils.write_to_csv</c>): the first row's
/// columns are sorted; later rows add new columns at the end in their own key order (<c>pd.concat</c>); a column
/// missing from some row, or holding any float, is a float64 column, printed as <c>repr</c> (<c>3.0</c>) with empty
/// cells for missing values; an all-int column prints ints; strings print as they are.
/// </summary>
public sealed partial class MeasurementsTable
{
    private readonly List<string> _columns = [];
    private readonly List<Dictionary<string, LogValue>> _rows = [];

    /// <summary>The columns in file order.</summary>
    public IReadOnlyList<string> Columns => _columns;

    /// <summary>Number of rows.</summary>
    public int RowCount => _rows.Count;

    /// <summary>A row's value in a column, or null when the cell is empty.</summary>
    public LogValue? Get(int row, string column) => _rows[row].TryGetValue(column, out var v) ? v : (LogValue?)null;

    /// <summary>Appends a row (a later duplicate key wins, as in a Python dict literal).</summary>
    public void Append(IEnumerable<KeyValuePair<string, LogValue>> row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var values = new Dictionary<string, LogValue>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var (key, value) in row)
        {
            if (values.TryAdd(key, value))
            {
                order.Add(key);
            }
            else
            {
                values[key] = value;
            }
        }

        if (_rows.Count == 0 && _columns.Count == 0)
        {
            order.Sort(StringComparer.Ordinal);
        }

        foreach (var key in order)
        {
            if (!_columns.Contains(key))
            {
                _columns.Add(key);
            }
        }

        _rows.Add(values);
    }

    /// <summary>The file text as pandas' <c>to_csv(index=False)</c> writes it (LF line ends).</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', _columns.Select(Quote)).Append('\n');
        var formats = _columns.Select(ColumnKindOf).ToArray();
        foreach (var row in _rows)
        {
            for (var c = 0; c < _columns.Count; c++)
            {
                if (c > 0)
                {
                    sb.Append(',');
                }

                if (row.TryGetValue(_columns[c], out var value))
                {
                    sb.Append(Quote(Format(value, formats[c])));
                }
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    private LogValueKind ColumnKindOf(string column)
    {
        var complete = true;
        var kinds = new HashSet<LogValueKind>();
        foreach (var row in _rows)
        {
            if (row.TryGetValue(column, out var v))
            {
                kinds.Add(v.Kind);
            }
            else
            {
                complete = false;
            }
        }

        if (kinds.Contains(LogValueKind.String))
        {
            return LogValueKind.String; // an object column: every value prints as Python's str() of itself
        }

        return complete && kinds.Count == 1 && !kinds.Contains(LogValueKind.Float) ? kinds.First() : LogValueKind.Float;
    }

    private static string Format(LogValue value, LogValueKind columnKind) => columnKind switch
    {
        LogValueKind.Float when double.IsNaN(value.AsDouble) => string.Empty, // pandas na_rep
        LogValueKind.Float => PythonRepr.Float(value.AsDouble),
        _ => value.ToString(),
    };

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static LogValue ParseCell(string cell)
    {
        if (long.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
        {
            return i;
        }

        if (cell is "True" or "False")
        {
            return cell == "True";
        }

        return cell switch
        {
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            "nan" => double.NaN,
            _ => double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : cell,
        };
    }
}
