using System.Text.Json;
using static AlgoPerf.Seed.Tests.CliRunner;

namespace AlgoPerf.Seed.Tests.Commands;

/// <summary>
/// <c>algoperf bench journal</c> through the CLI entry point, in a small size: the real Akka.NET persistence path on
/// both stores (PostgreSQL from <c>ALGOPERF_TEST_PG</c>, as the benchmark reads it) and the exact output shape;
/// timings are not checked.
/// </summary>
public sealed class BenchJournalTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Journal_SmallRun_PrintsOneJsonObjectWithTheFiguresOfAkkaPersistence(string store)
    {
        var (code, stdout, stderr) = await RunAsync("bench", "journal", "--store", store, "--events", "300", "--batch", "50", "--seconds", "0.2", "--actors", "3", "--format", "json");

        Assert.True(code == 0, stderr);
        Assert.Equal(string.Empty, stderr);
        Assert.Single(stdout.Trim().Split('\n'));
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(
            ["store", "runtime", "appends_per_sec", "concurrent_appends_per_sec", "concurrent_actors", "batched_appends_per_sec", "batch_size", "batched_cpu_sec", "recovery_cpu_sec", "recovery_events", "recovery_sec", "recovery_100k_sec"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(store, root.GetProperty("store").GetString());
        Assert.Equal("akka.net 1.5.75", root.GetProperty("runtime").GetString());
        Assert.Equal(3, root.GetProperty("concurrent_actors").GetInt32());
        Assert.Equal(50, root.GetProperty("batch_size").GetInt32());
        Assert.Equal(300, root.GetProperty("recovery_events").GetInt32());
        foreach (var figure in new[] { "appends_per_sec", "concurrent_appends_per_sec", "batched_appends_per_sec", "recovery_sec" })
        {
            Assert.True(root.GetProperty(figure).GetDouble() > 0, figure);
        }

        // Both are rounded to 4 decimals: recovery_sec's rounding, scaled by 100,000 / 300, is within 0.017.
        Assert.Equal(root.GetProperty("recovery_sec").GetDouble() * 100_000 / 300, root.GetProperty("recovery_100k_sec").GetDouble(), 0.02);
    }

    [Fact]
    public async Task Journal_TextFormat_PrintsOneKeyValueLinePerFigure()
    {
        var (code, stdout, stderr) = await RunAsync("bench", "journal", "--store", "sqlite", "--events", "100", "--batch", "100", "--seconds", "0.1", "--actors", "1");

        Assert.True(code == 0, stderr);
        var lines = stdout.Trim().Split('\n');
        Assert.Equal(12, lines.Length);
        Assert.Equal("store                        sqlite", lines[0]);
        Assert.Equal("runtime                      akka.net 1.5.75", lines[1]);
    }

    [Theory]
    [InlineData("--events", "50")]
    [InlineData("--batch", "0")]
    [InlineData("--seconds", "0")]
    [InlineData("--actors", "0")]
    [InlineData("--store", "mysql")]
    [InlineData("--eventz", "10")]
    public async Task Journal_BadOption_ExitsTwoWithoutRunning(string option, string value)
    {
        var (code, stdout, stderr) = await RunAsync("bench", "journal", option, value, "--format", "json");

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("algoperf bench: ", stderr, StringComparison.Ordinal);
    }
}
