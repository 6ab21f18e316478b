using static AlgoPerf.Seed.Tests.CliRunner;

namespace AlgoPerf.Seed.Tests.Commands;

/// <summary>`algoperf run` refuses bad input before anything is written: exit code 1, an error naming file and key.</summary>
public sealed class RunCommandInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("algoperf-run-input-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("algoperf.benchmark.trainers = two", "algoperf.benchmark.trainers: must be an integer (got two)")]
    [InlineData("algoperf.restart-backoff.min = soon", "algoperf.restart-backoff.min: must be a duration")]
    [InlineData("algoperf.journal.store = mysql", "algoperf.journal.store: must be sqlite or postgres (got mysql)")]
    [InlineData("algoperf.journal.store = postgres", "algoperf.journal.connection-string: missing")]
    public async Task Run_InvalidSetting_ExitsOneNamingFileAndKeyAndWritesNothing(string line, string expected)
    {
        var config = Path.Combine(_dir, "run.conf");
        var run = Path.Combine(_dir, "runs", "bad");
        File.WriteAllText(config, $"include \"{Orchestration.BenchmarkSettingsTests.HoconFile("quickstart.conf")}\"\nalgoperf.benchmark.run-dir = \"{run}\"\n{line}\n");

        var (code, stdout, stderr) = await RunAsync("run", config);

        Assert.Equal(1, code);
        Assert.Contains($"{config}: {expected}", stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout);
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public async Task Run_MalformedHocon_ExitsOneNamingTheFile()
    {
        var config = Path.Combine(_dir, "broken.conf");
        File.WriteAllText(config, "algoperf.benchmark { name = x\n");

        var (code, _, stderr) = await RunAsync("run", config);

        Assert.Equal(1, code);
        Assert.Contains(config + ": ", stderr, StringComparison.Ordinal);
    }
}
