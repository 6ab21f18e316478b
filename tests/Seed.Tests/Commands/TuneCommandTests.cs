using System.Text.Json;
using AlgoPerf.Seed.Commands;
using static AlgoPerf.Seed.Tests.CliRunner;

namespace AlgoPerf.Seed.Tests.Commands;

public sealed class TuneCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("algoperf-tune-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Sample_GoldenMnistCase_PrintsTheReferencePointsInKeyOrder()
    {
        // golden.json case "mnist", num_trials 5, shuffle_seed 1, first point.
        var space = Write("mnist.json", """
            {"learning_rate": {"min": 0.0001, "max": 0.01, "scaling": "log"},
             "one_minus_beta_1": {"min": 0.9, "max": 0.999, "scaling": "log"},
             "epsilon": {"feasible_points": [1e-08, 1e-05, 0.001]}}
            """);

        var (code, stdout, stderr) = await RunAsync("tune", "sample", "--search-space", space, "--num-trials", "5", "--shuffle-seed", "1");

        Assert.Equal((0, string.Empty), (code, stderr));
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(5, doc.RootElement.GetArrayLength());
        var first = doc.RootElement[0];
        Assert.Equal(["learning_rate", "one_minus_beta_1", "epsilon"], first.EnumerateObject().Select(p => p.Name));
        Assert.Contains("\"epsilon\": 1e-", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sample_InvalidSpace_ExitsOneNamingFileAndKey()
    {
        var space = Write("bad.json", """{"lr": {"min": 0, "max": 1, "scaling": "log"}}""");

        var (code, stdout, stderr) = await RunAsync("tune", "sample", "--search-space", space, "--num-trials", "3");

        Assert.Equal((1, string.Empty), (code, stdout));
        Assert.Equal($"algoperf tune: error: {space}: lr: log scaling needs min > 0 (got min 0)", stderr.Trim());
    }

    [Theory]
    [InlineData("--num-trials", "0")]
    [InlineData("--shuffle-seed", "4294967296")]
    public async Task Sample_BadOption_ExitsTwo(string option, string value)
    {
        var space = Write("ok.json", """{"lr": {"feasible_points": [1]}}""");
        string[] args = option == "--num-trials"
            ? ["tune", "sample", "--search-space", space, option, value]
            : ["tune", "sample", "--search-space", space, "--num-trials", "2", option, value];

        var (code, _, _) = await RunAsync(args);

        Assert.Equal(2, code);
    }

    [Fact]
    public async Task Simulate_SmallRun_AllDecisionsIdentical()
    {
        var (code, stdout, _) = await RunAsync("tune", "simulate", "--studies", "50", "--seed", "3");

        Assert.Equal(0, code);
        Assert.Contains("identical decisions: 50/50", stdout, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
