using System.Text.Json;
using AlgoPerf.Scorer.Model;
using AlgoPerf.Scorer.Procedure;
using AlgoPerf.Scorer.Reports;

namespace AlgoPerf.Scorer.Tests.Reports;

public sealed class ScoreJsonTests
{
    private static ScoringResult Result()
    {
        TrialRecord[] trials =
        [
            new("external_tuning", "a", "w1", "0", 1, 10.5, 2),
            new("external_tuning", "a", "w2", "0", 1, double.PositiveInfinity, null),
            new("external_tuning", "b", "w1", "0", 1, 21.0, 2),
        ];
        return ScoringPipeline.Score("external_tuning", trials, new ScoringOptions(["w1", "w2"], []));
    }

    [Fact]
    public void Write_OneObject_UnroundedScoresAndNullForInfinityOrMissing()
    {
        var result = Result();

        using var doc = JsonDocument.Parse(ScoreJson.Write(result));
        var root = doc.RootElement;

        Assert.Equal(["ruleset", "scores", "workload_times"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("external_tuning", root.GetProperty("ruleset").GetString());
        Assert.Equal(result.ScoreOf("a"), root.GetProperty("scores").GetProperty("a").GetDouble());
        Assert.Equal(result.ScoreOf("b"), root.GetProperty("scores").GetProperty("b").GetDouble());
        Assert.Equal(10.5, root.GetProperty("workload_times").GetProperty("a").GetProperty("w1").GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("workload_times").GetProperty("a").GetProperty("w2").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("workload_times").GetProperty("b").GetProperty("w2").ValueKind);
    }

    [Fact]
    public void Write_WithSpeedups_AddsSpeedupObject()
    {
        using var doc = JsonDocument.Parse(ScoreJson.Write(Result(), new Dictionary<string, double> { ["b"] = 0.75 }));

        Assert.Equal(0.75, doc.RootElement.GetProperty("speedups").GetProperty("b").GetDouble());
    }

    [Fact]
    public void Write_ScoreRoundTripsExactly()
    {
        var result = Result();

        using var doc = JsonDocument.Parse(ScoreJson.Write(result));

        Assert.Equal(
            BitConverter.DoubleToInt64Bits(result.ScoreOf("b")),
            BitConverter.DoubleToInt64Bits(doc.RootElement.GetProperty("scores").GetProperty("b").GetDouble()));
    }
}
