using System.Text;

namespace AlgoPerf.Trainer.Logging;

/// <content>Reading an existing measurements CSV back (a resumed trial appends to it, as the reference does).</content>
public sealed partial class MeasurementsTable
{
    /// <summary>Reads a table from a file; a missing or empty file gives an empty table (the reference's <c>EmptyDataError</c> path).</summary>
    /// <exception cref="InvalidDataException">A malformed row; the message names the file and line.</exception>
    public static MeasurementsTable Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return File.Exists(path) ? Parse(path, File.ReadAllText(path)) : new MeasurementsTable();
    }

    /// <summary>Parses CSV text; <paramref name="path"/> names the source in errors.</summary>
    /// <exception cref="InvalidDataException">A malformed row; the message names the file and line.</exception>
    public static MeasurementsTable Parse(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var table = new MeasurementsTable();
        var records = ReadRecords(path, text);
        if (records.Count == 0)
        {
            return table;
        }

        var (_, header) = records[0];
        for (var c = 0; c < header.Count; c++)
        {
            if (header[c].Length == 0 || table._columns.Contains(header[c]))
            {
                throw new InvalidDataException($"{path}:1: column {c + 1} is {(header[c].Length == 0 ? "unnamed" : $"a duplicate of '{header[c]}'")}");
            }

            table._columns.Add(header[c]);
        }

        foreach (var (line, fields) in records.Skip(1))
        {
            if (fields.Count != header.Count)
            {
                throw new InvalidDataException($"{path}:{line}: {fields.Count} fields, the header has {header.Count}");
            }

            var row = new Dictionary<string, LogValue>(StringComparer.Ordinal);
            for (var c = 0; c < fields.Count; c++)
            {
                if (fields[c].Length > 0)
                {
                    row[header[c]] = ParseCell(fields[c]);
                }
            }

            table._rows.Add(row);
        }

        return table;
    }

    private static List<(int Line, List<string> Fields)> ReadRecords(string path, string text)
    {
        var records = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var fieldStarted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    fieldStarted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    if (fieldStarted || field.Length > 0 || fields.Count > 0)
                    {
                        fields.Add(field.ToString());
                        records.Add((recordLine, fields));
                    }

                    fields = [];
                    field.Clear();
                    fieldStarted = false;
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    break;
            }
        }

        if (quoted)
        {
            throw new InvalidDataException($"{path}:{recordLine}: unterminated quoted field");
        }

        if (fieldStarted || field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add((recordLine, fields));
        }

        return records;
    }
}
