using System.Text;

namespace AlgoPerf.Contracts.Logs;

/// <summary>
/// The CSV dialect of AlgoPerf's trial logs (<c>measurements.csv</c>, <c>eval_measurements.csv</c>, as pandas writes
/// them), the one format the trainer writes and the scorer reads: comma-separated fields, RFC 4180 quoting (a quoted
/// field may hold commas, newlines and doubled quotes), CRLF, LF or CR line ends, blank lines skipped. Typed access
/// (column lookup, numbers, <c>nan</c>/<c>inf</c>) is each reader's own.
/// </summary>
public static class CsvRecords
{
    /// <summary>The records of <paramref name="text"/>, each with the line it starts on and its fields.</summary>
    /// <param name="path">The file, for error messages.</param>
    /// <param name="text">The whole file.</param>
    /// <exception cref="InvalidDataException">A quoted field is not closed (the message names the file and the line it opened on).</exception>
    public static List<(int Line, List<string> Fields)> Read(string path, string text)
    {
        var rows = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var inQuotes = false;
        var quoteLine = 0;
        var fieldStarted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    inQuotes = false;
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
                    inQuotes = true;
                    quoteLine = line;
                    fieldStarted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = true;
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\n' or '\r':
                    EndRecord();
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    break;
            }
        }

        if (inQuotes)
        {
            throw new InvalidDataException($"{path}:{quoteLine}: unterminated quoted field");
        }

        EndRecord();
        return rows;

        void EndRecord()
        {
            if (fieldStarted || field.Length > 0)
            {
                fields.Add(field.ToString());
                rows.Add((recordLine, [.. fields]));
            }

            fields.Clear();
            field.Clear();
            fieldStarted = false;
        }
    }
}
