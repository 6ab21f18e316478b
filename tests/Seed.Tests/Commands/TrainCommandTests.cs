using static AlgoPerf.Seed.Tests.CliRunner;

namespace AlgoPerf.Seed.Tests.Commands;

public sealed class TrainCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("algoperf-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Train_UnknownWorkload_ExitsOneNamingIt()
    {
        var (code, stdout, stderr) = await RunAsync("train", "--workload", "nope", "--submission", "nadamw", "--trial-index", "1", "--run-dir", _dir);

        Assert.Equal((1, string.Empty), (code, stdout));
        Assert.StartsWith("algoperf train: error: unknown workload 'nope'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_UnknownSubmission_ExitsOneNamingIt()
    {
        var (code, stdout, stderr) = await RunAsync("train", "--workload", "fmnist_mlp", "--submission", "nope", "--trial-index", "1", "--run-dir", _dir);

        Assert.Equal((1, string.Empty), (code, stdout));
        Assert.StartsWith("algoperf train: error: unknown submission 'nope'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_BadHparamsFile_ExitsOneNamingFileAndKey()
    {
        var file = Path.Combine(_dir, "hparams.json");
        File.WriteAllText(file, """{"learning_rate": "fast"}""");

        var (code, stdout, stderr) = await RunAsync("train", "--workload", "fmnist_mlp", "--submission", "nadamw", "--hparams", file, "--run-dir", _dir);

        Assert.Equal((1, string.Empty), (code, stdout));
        Assert.Contains(file, stderr, StringComparison.Ordinal);
        Assert.Contains("'learning_rate'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_HparamsAndTrialIndexTogether_IsAUsageError()
    {
        var (code, _, stderr) = await RunAsync("train", "--workload", "fmnist_mlp", "--submission", "nadamw", "--hparams", "h.json", "--trial-index", "1", "--run-dir", _dir);

        Assert.Equal(2, code);
        Assert.Contains("either --hparams", stderr, StringComparison.Ordinal);
    }
}
