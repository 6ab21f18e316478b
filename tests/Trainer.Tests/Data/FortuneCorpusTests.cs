using System.Text;
using AlgoPerf.Trainer.Data;

namespace AlgoPerf.Trainer.Tests.Data;

public sealed class FortuneCorpusTests
{
    private static string[] SplitText(string text) =>
        FortuneCorpus.Split(Encoding.ASCII.GetBytes(text)).Select(b => Encoding.ASCII.GetString(b)).ToArray();

    [Fact]
    public void Split_SeparatorLines_RemovedAndFortunesKeepTheirNewlines()
    {
        Assert.Equal(["one\nline\n", "two\n", "three\n"], SplitText("one\nline\n%\ntwo\n%\nthree\n%\n"));
    }

    [Fact]
    public void Split_PercentInsideText_NotASeparator()
    {
        Assert.Equal(["100% sure\n%%\n", "x\n"], SplitText("100% sure\n%%\n%\nx"));
    }

    [Fact]
    public void Split_BlankFortunes_Dropped()
    {
        Assert.Equal(["a\n"], SplitText("%\n \n%\na\n%\n\n"));
    }

    [Fact]
    public void Load_TwentyOneFortunes_Rule18And19GoToValidationAndTest()
    {
        var dir = Directory.CreateTempSubdirectory("fortunes-").FullName;
        try
        {
            // Two files in ordinal order ("a" before "b"), plus an index and a symlink that must be skipped.
            File.WriteAllText(Path.Combine(dir, "b"), string.Concat(Enumerable.Range(10, 11).Select(i => $"f{i}\n%\n")));
            File.WriteAllText(Path.Combine(dir, "a"), string.Concat(Enumerable.Range(0, 10).Select(i => $"f{i}\n%\n")));
            File.WriteAllText(Path.Combine(dir, "a.dat"), "binary index");
            File.CreateSymbolicLink(Path.Combine(dir, "a.u8"), Path.Combine(dir, "a"));

            var corpus = FortuneCorpus.Load(dir, contextLength: 4);

            Assert.Equal(21, corpus.FortuneCount);
            Assert.Equal([Path.Combine(dir, "a"), Path.Combine(dir, "b")], corpus.SourceFiles);
            Assert.Equal("f18\n", Encoding.ASCII.GetString(corpus.Validation.Bytes));
            Assert.Equal("f19\n", Encoding.ASCII.GetString(corpus.Test.Bytes));
            var expectedTrain = string.Concat(Enumerable.Range(0, 21).Where(i => i is not 18 and not 19).Select(i => $"f{i}\n"));
            Assert.Equal(expectedTrain, Encoding.ASCII.GetString(corpus.Train.Bytes));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Load_MissingDirectory_NamesDirectoryAndPackage()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => FortuneCorpus.Load("/no/such/fortunes"));
        Assert.Contains("/no/such/fortunes", e.Message, StringComparison.Ordinal);
        Assert.Contains("fortunes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DebianFortunes_NinetyFiveFiveSplitWithoutSeparators()
    {
        var corpus = FortuneCorpus.Load();

        Assert.Equal(43, corpus.SourceFiles.Count);
        Assert.Equal("art", Path.GetFileName(corpus.SourceFiles[0]));
        Assert.Equal("zippy", Path.GetFileName(corpus.SourceFiles[^1]));
        var total = corpus.Train.Bytes.Length + corpus.Validation.Bytes.Length + corpus.Test.Bytes.Length;
        Assert.InRange(corpus.Validation.Bytes.Length / (double)total, 0.03, 0.07);
        Assert.InRange(corpus.Test.Bytes.Length / (double)total, 0.03, 0.07);
        foreach (var split in new[] { corpus.Train, corpus.Validation, corpus.Test })
        {
            Assert.DoesNotContain("\n%\n", Encoding.Latin1.GetString(split.Bytes), StringComparison.Ordinal);
            Assert.True(split.Count > 100, $"{split.Name} has only {split.Count} windows");
        }
    }

    [Fact]
    public void CopyWindows_ContextFour_InputsAndNextByteTargets()
    {
        var split = new TextSplit("t", Encoding.ASCII.GetBytes("abcdefghij"), 4);
        Assert.Equal(2, split.Count); // (10 - 1) / 4

        var inputs = new long[8];
        var targets = new long[8];
        split.CopyWindows([1, 0], inputs, targets);

        Assert.Equal("efghabcd", new string(inputs.Select(b => (char)b).ToArray()));
        Assert.Equal("fghibcde", new string(targets.Select(b => (char)b).ToArray()));
        Assert.Throws<ArgumentOutOfRangeException>(() => split.CopyWindows([2], inputs, targets));
    }
}
