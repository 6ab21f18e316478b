using AlgoPerf.Contracts.Scoring;

namespace AlgoPerf.Contracts.Tests.Scoring;

public sealed class StudySelectionTests
{
    private static readonly TrialOutcome s_miss1 = new(1, null, double.PositiveInfinity);
    private static readonly TrialOutcome s_miss2 = new(2, null, double.PositiveInfinity);

    [Fact]
    public void Select_Reference_SmallestEvalIndexWinsEvenWhenSlower()
    {
        TrialOutcome[] trials = [new(1, 10, 100.0), new(2, 8, 150.0), new(3, 9, 90.0)];

        Assert.Equal(2, StudySelection.Select(trials, StudySelectionRule.Reference)!.Trial);
        Assert.Equal(150.0, StudySelection.StudyTime(trials, StudySelectionRule.Reference));
    }

    [Fact]
    public void Select_Fastest_SmallestTimeWins()
    {
        TrialOutcome[] trials = [new(1, 10, 100.0), new(2, 8, 150.0), new(3, 9, 90.0)];

        Assert.Equal(3, StudySelection.Select(trials, StudySelectionRule.Fastest)!.Trial);
        Assert.Equal(90.0, StudySelection.StudyTime(trials, StudySelectionRule.Fastest));
    }

    [Fact]
    public void Select_ReferenceTiedIndex_FastestOfTiedWins()
    {
        // The published v0.6 baseline fastmri study 0: trials 1, 3 and 4 all first hit at eval 22; trial 4 is chosen.
        TrialOutcome[] trials =
        [
            new(1, 22, 2018.1146247386932), new(2, null, double.PositiveInfinity), new(3, 22, 2015.7434239387512),
            new(4, 22, 2007.4167020320892), new(5, 23, 1900.0),
        ];

        var chosen = StudySelection.Select(trials, StudySelectionRule.Reference);

        Assert.Equal(4, chosen!.Trial);
        Assert.Equal(2007.4167020320892, chosen.TimeToTargetSec);
    }

    [Fact]
    public void Select_FullTie_FirstInTrialOrderWins()
    {
        TrialOutcome[] trials = [new(3, 5, 50.0), new(1, 5, 50.0)];

        Assert.Equal(3, StudySelection.Select(trials, StudySelectionRule.Reference)!.Trial);
        Assert.Equal(3, StudySelection.Select(trials, StudySelectionRule.Fastest)!.Trial);
    }

    [Fact]
    public void Select_FastestTiedTime_SmallerEvalIndexWins()
    {
        TrialOutcome[] trials = [new(1, 7, 50.0), new(2, 5, 50.0)];

        Assert.Equal(2, StudySelection.Select(trials, StudySelectionRule.Fastest)!.Trial);
    }

    [Theory]
    [InlineData(StudySelectionRule.Reference)]
    [InlineData(StudySelectionRule.Fastest)]
    public void Select_NoTrialReached_NullAndInfinite(StudySelectionRule rule)
    {
        TrialOutcome[] trials = [s_miss1, s_miss2];

        Assert.Null(StudySelection.Select(trials, rule));
        Assert.Equal(double.PositiveInfinity, StudySelection.StudyTime(trials, rule));
        Assert.Equal(double.PositiveInfinity, StudySelection.StudyTime([], rule));
    }

    [Fact]
    public void Select_UnreachedTrialWithSmallTime_NeverWins()
    {
        TrialOutcome[] trials = [new(1, null, 1.0), new(2, 3, 40.0)];

        Assert.Equal(2, StudySelection.Select(trials, StudySelectionRule.Fastest)!.Trial);
        Assert.Equal(2, StudySelection.Select(trials, StudySelectionRule.Reference)!.Trial);
    }

    [Fact]
    public void Select_NaNTime_RanksLast()
    {
        TrialOutcome[] trials = [new(1, 2, double.NaN), new(2, 2, 70.0)];

        Assert.Equal(2, StudySelection.Select(trials, StudySelectionRule.Reference)!.Trial);
        Assert.Equal(2, StudySelection.Select(trials, StudySelectionRule.Fastest)!.Trial);
    }

    [Fact]
    public void Select_PoolOfOne_ThatTrial()
    {
        TrialOutcome[] trials = [new(1, 0, 3.5)];

        Assert.Equal(3.5, StudySelection.StudyTime(trials, StudySelectionRule.Reference));
    }

    [Theory]
    [InlineData("reference", StudySelectionRule.Reference)]
    [InlineData(" Fastest ", StudySelectionRule.Fastest)]
    public void Parse_KnownName_RoundTrips(string text, StudySelectionRule expected)
    {
        var rule = StudySelectionRules.Parse(text);

        Assert.Equal(expected, rule);
        Assert.Equal(rule, StudySelectionRules.Parse(rule.ToWire()));
    }

    [Fact]
    public void Parse_UnknownName_Throws()
    {
        var e = Assert.Throws<FormatException>(() => StudySelectionRules.Parse("slowest"));
        Assert.Contains("slowest", e.Message, StringComparison.Ordinal);
    }
}
