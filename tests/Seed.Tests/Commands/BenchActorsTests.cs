using System.Text.Json;
using static AlgoPerf.Seed.Tests.CliRunner;

namespace AlgoPerf.Seed.Tests.Commands;

/// <summary><c>algoperf bench actors</c> through the CLI entry point, in a small size: Akka.NET runs it and the output shape is exact.</summary>
public sealed class BenchActorsTests
{
    [Fact]
    public async Task Actors_SmallRun_PrintsOneJsonObjectWithTheFiguresOfAkka()
    {
        var (code, stdout, stderr) = await RunAsync("bench", "actors", "--messages", "20000", "--pairs", "2", "--in-flight", "100", "--fanout", "4", "--asks", "200", "--events", "500", "--format", "json");

        Assert.True(code == 0, stderr);
        Assert.Equal(string.Empty, stderr);
        Assert.Single(stdout.Trim().Split('\n'));
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(
            ["runtime", "messages_per_sec", "pingpong_messages_per_sec", "fanout_messages_per_sec", "ask_p50_us", "ask_p99_us", "ask_mean_us", "persist_events_per_sec", "recovery_events_per_sec", "pairs", "in_flight", "fanout", "messages", "throughput_setting", "cores", "dead_letters"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("akka.net 1.5.75", root.GetProperty("runtime").GetString());
        Assert.Equal((2, 100, 4, 20000), (root.GetProperty("pairs").GetInt32(), root.GetProperty("in_flight").GetInt32(), root.GetProperty("fanout").GetInt32(), root.GetProperty("messages").GetInt32()));
        Assert.Equal(30, root.GetProperty("throughput_setting").GetInt32());
        Assert.Equal(Environment.ProcessorCount, root.GetProperty("cores").GetInt32());
        foreach (var figure in new[] { "messages_per_sec", "pingpong_messages_per_sec", "fanout_messages_per_sec", "ask_p50_us", "persist_events_per_sec", "recovery_events_per_sec" })
        {
            Assert.True(root.GetProperty(figure).GetDouble() > 0, figure);
        }

        Assert.True(root.GetProperty("ask_p50_us").GetDouble() <= root.GetProperty("ask_p99_us").GetDouble());
    }

    [Fact]
    public async Task Actors_TooFewMessagesForThePairs_ExitsTwoWithoutRunning()
    {
        var (code, stdout, stderr) = await RunAsync("bench", "actors", "--messages", "100", "--pairs", "2", "--in-flight", "100");

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("algoperf bench: --pairs", stderr, StringComparison.Ordinal);
    }
}
