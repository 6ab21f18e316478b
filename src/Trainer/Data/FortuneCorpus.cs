namespace AlgoPerf.Trainer.Data;

/// <summary>
/// The dev suite's language-model corpus: the English fortune files of Debian's <c>fortunes</c> and
/// <c>fortunes-min</c> packages. Every regular file of the directory except the <c>.dat</c> indexes (the <c>.u8</c>
/// entries are symlinks and skipped) is read in ordinal file-name order; fortunes are the texts between lines that
/// are exactly <c>%</c>, separators removed, blank fortunes dropped. Fortune number <c>k</c> (counted over all
/// files in that order) goes to validation when <c>k mod 20 = 18</c>, to test when <c>k mod 20 = 19</c>, and to
/// train otherwise (90/5/5, spread evenly over the topics); each split is its fortunes concatenated in order.
/// </summary>
public static class FortuneCorpus
{
    /// <summary>Where Debian installs the English fortunes.</summary>
    public const string DefaultDirectory = "/usr/share/games/fortunes";

    /// <summary>Fortunes per round of the split rule.</summary>
    public const int SplitPeriod = 20;

    /// <summary>Loads and splits the corpus.</summary>
    /// <param name="directory">The fortunes directory.</param>
    /// <param name="contextLength">Bytes per training window.</param>
    /// <exception cref="DirectoryNotFoundException">The directory is missing (install <c>fortunes</c>).</exception>
    /// <exception cref="InvalidDataException">No fortune file, or no fortunes in them.</exception>
    public static TextCorpus Load(string directory = DefaultDirectory, int contextLength = 128)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"fortune directory {directory} not found; install Debian's fortunes package (scripts/bootstrap.sh)");
        }

        var files = Directory.EnumerateFiles(directory)
            .Where(IsFortuneFile)
            .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            throw new InvalidDataException($"{directory}: no fortune files found");
        }

        using var train = new MemoryStream();
        using var validation = new MemoryStream();
        using var test = new MemoryStream();
        var k = 0;
        foreach (var file in files)
        {
            foreach (var fortune in Split(File.ReadAllBytes(file)))
            {
                var target = (k % SplitPeriod) switch
                {
                    SplitPeriod - 2 => validation,
                    SplitPeriod - 1 => test,
                    _ => train,
                };
                target.Write(fortune);
                k++;
            }
        }

        if (k == 0)
        {
            throw new InvalidDataException($"{directory}: the fortune files hold no fortunes");
        }

        return new TextCorpus(
            new TextSplit("train", train.ToArray(), contextLength),
            new TextSplit("validation", validation.ToArray(), contextLength),
            new TextSplit("test", test.ToArray(), contextLength),
            files,
            k);
    }

    /// <summary>
    /// Splits a fortune file into fortunes: the lines between <c>%</c> lines, each fortune ending with its last
    /// newline; fortunes with only whitespace are dropped.
    /// </summary>
    public static IEnumerable<byte[]> Split(byte[] file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var start = 0;
        var lineStart = 0;
        for (var i = 0; i <= file.Length; i++)
        {
            if (i < file.Length && file[i] != (byte)'\n')
            {
                continue;
            }

            // Line [lineStart, i). A separator line is exactly "%".
            if (i - lineStart == 1 && file[lineStart] == (byte)'%')
            {
                if (HasText(file, start, lineStart))
                {
                    yield return file[start..lineStart];
                }

                start = Math.Min(i + 1, file.Length);
            }

            lineStart = i + 1;
        }

        if (HasText(file, start, file.Length))
        {
            var tail = file[start..];
            yield return tail[^1] == (byte)'\n' ? tail : [.. tail, (byte)'\n'];
        }
    }

    private static bool HasText(byte[] file, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            if (!char.IsWhiteSpace((char)file[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsFortuneFile(string path)
    {
        if (path.EndsWith(".dat", StringComparison.Ordinal))
        {
            return false;
        }

        var info = new FileInfo(path);
        return info.LinkTarget is null;
    }
}
