using AlgoPerf.Contracts.Logs;

namespace AlgoPerf.Scorer.Input;

/// <summary>
/// A parsed CSV file (RFC 4180: quoted fields, doubled quotes, newlines inside quotes, CRLF or LF) that remembers
/// where every field came from, so that a bad value is reported as <c>file:line:column</c>. Columns are 1-based field
/// numbers; lines are the physical line where the record starts.
/// </summary>
public sealed class CsvDocument
{
    private CsvDocument(string path, IReadOnlyList<string> header, IReadOnlyList<CsvRecord> records)
    {
        Path = path;
        Header = header;
        Records = records;
    }

    /// <summary>The file's path as given (used in error messages).</summary>
    public string Path { get; }

    /// <summary>The header's column names.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>The data records (blank lines skipped).</summary>
    public IReadOnlyList<CsvRecord> Records { get; }

    /// <summary>Reads and parses a file.</summary>
    /// <exception cref="InvalidDataException">Empty file, unterminated quote, or a record with a different field count than the header.</exception>
    public static CsvDocument Load(string path) => Parse(path, File.ReadAllText(path));

    /// <summary>Parses CSV text; <paramref name="path"/> is only used in messages.</summary>
    public static CsvDocument Parse(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
        var rows = CsvRecords.Read(path, text);
        if (rows.Count == 0)
        {
            throw new InvalidDataException($"{path}:1:1: empty file, expected a header line");
        }

        var header = rows[0].Fields;
        var records = new List<CsvRecord>(rows.Count - 1);
        foreach (var row in rows.Skip(1))
        {
            if (row.Fields.Count != header.Count)
            {
                throw new InvalidDataException(
                    $"{path}:{row.Line}:{Math.Min(row.Fields.Count, header.Count) + 1}: {row.Fields.Count} fields, but the header has {header.Count}");
            }

            records.Add(new CsvRecord(path, row.Line, header, row.Fields));
        }

        return new CsvDocument(path, header, records);
    }

    /// <summary>The 0-based index of a header column, or -1.</summary>
    public int ColumnIndex(string name)
    {
        for (var i = 0; i < Header.Count; i++)
        {
            if (Header[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The 0-based index of a required header column.</summary>
    /// <exception cref="InvalidDataException">The column is absent.</exception>
    public int RequireColumn(string name)
    {
        var i = ColumnIndex(name);
        return i >= 0
            ? i
            : throw new InvalidDataException($"{Path}:1:{Header.Count + 1}: missing column '{name}' (header: {string.Join(",", Header)})");
    }
}
