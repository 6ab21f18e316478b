using AlgoPerf.Scorer.Input;
using AlgoPerf.Scorer.Model;
using AlgoPerf.Scorer.Procedure;
using AlgoPerf.Scorer.Reports;
using AlgoPerf.Scorer.Tests.Fixtures;

namespace AlgoPerf.Scorer.Tests.Reports;

public sealed class ScoreTextTests
{
    [Fact]
    public void Write_V06_ScoresToFourDecimalsBestFirst()
    {
        var result = ScoringPipeline.Score(
            "external_tuning",
            TrialTableReader.Read(FixtureFiles.Trials).Where(t => t.Ruleset == "external_tuning"),
            new ScoringOptions(FixtureFiles.V06BaseWorkloads, []));

        var lines = ScoreText.Write(result).Split('\n');

        Assert.Equal("submission   score", lines[2]);
        Assert.Equal("shampoo     0.6244", lines[3]);
        Assert.Equal("baseline    0.4590", lines[4]);
        Assert.Contains(lines, l => l.StartsWith("shampoo ", StringComparison.Ordinal) && l.Contains("640.8", StringComparison.Ordinal) && l.Contains("inf", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(double.NaN, "-")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(1234.56, "1234.6")]
    public void Time_Formats(double seconds, string text)
    {
        Assert.Equal(text, ScoreText.Time(seconds));
    }
}
