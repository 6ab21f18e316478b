using AlgoPerf.Trainer.Logging;

namespace AlgoPerf.Trainer.Tests.Logging;

public sealed class HparamsFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hparams-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // The baseline's first search-space point, in its search-space key order.
    private static readonly KeyValuePair<string, LogValue>[] s_point =
    [
        new("dropout_rate", 0.0), new("label_smoothing", 0.1), new("learning_rate", 0.001308209823469072),
        new("one_minus_beta1", 0.02686663061), new("beta2", 0.9981232922116359), new("weight_decay", 0.16375311233774334),
        new("warmup_factor", 0.1),
    ];

    [Fact]
    public void WriteOrLoad_NewTrial_WritesSearchSpaceOrderIndent2()
    {
        var trial = Path.Combine(_dir, "trial_1");
        var used = HparamsFile.WriteOrLoad(trial, s_point);

        Assert.Same(s_point, used);
        Assert.Equal(
            "{\n  \"dropout_rate\": 0.0,\n  \"label_smoothing\": 0.1,\n  \"learning_rate\": 0.001308209823469072,\n  \"one_minus_beta1\": 0.02686663061,\n"
            + "  \"beta2\": 0.9981232922116359,\n  \"weight_decay\": 0.16375311233774334,\n  \"warmup_factor\": 0.1\n}",
            File.ReadAllText(Path.Combine(trial, HparamsFile.FileName)));
    }

    [Fact]
    public void WriteOrLoad_ExistingFile_UsesSavedValuesAndLeavesFileUnchanged()
    {
        var path = Path.Combine(_dir, HparamsFile.FileName);
        const string saved = "{\n  \"learning_rate\": 0.5,\n  \"steps\": 3\n}";
        File.WriteAllText(path, saved);

        var used = HparamsFile.WriteOrLoad(_dir, s_point);

        Assert.Equal([new("learning_rate", 0.5), new("steps", 3)], used);
        Assert.Equal(saved, File.ReadAllText(path));
    }

    [Fact]
    public void WriteOrLoad_CorruptExistingFile_InvalidDataNamingFile()
    {
        var path = Path.Combine(_dir, HparamsFile.FileName);
        File.WriteAllText(path, "{\"learning_rate\": ");
        var e = Assert.Throws<InvalidDataException>(() => HparamsFile.WriteOrLoad(_dir, s_point));
        Assert.StartsWith(path + ": invalid JSON", e.Message, StringComparison.Ordinal);
    }
}
