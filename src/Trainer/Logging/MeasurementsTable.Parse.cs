using AlgoPerf.Contracts.Logs;

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
        var records = CsvRecords.Read(path, text);
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
}
