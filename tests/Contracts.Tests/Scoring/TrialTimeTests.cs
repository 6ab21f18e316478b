using AlgoPerf.Contracts.Rules;
using AlgoPerf.Contracts.Scoring;

namespace AlgoPerf.Contracts.Tests.Scoring;

public sealed class TrialTimeTests
{
    [Fact]
    public void FirstHit_MaximisedMetric_TakesFirstEvalAtOrAboveTarget()
    {
        var hit = TrialTime.FirstHit([0.5, 0.77, 0.8, 0.9], [10, 20, 30, 40], MetricDirection.Maximize, 0.77);

        Assert.Equal(new TrialHit(1, 20), hit);
        Assert.True(hit.Reached);
    }

    [Fact]
    public void FirstHit_MinimisedMetric_TakesFirstEvalAtOrBelowTarget()
    {
        var hit = TrialTime.FirstHit([0.2, 0.13, 0.123735, 0.1], [10, 20, 30, 40], MetricDirection.Minimize, 0.123735);

        Assert.Equal(new TrialHit(2, 30), hit);
    }

    [Fact]
    public void FirstHit_LaterEvalWorsens_FirstHitStillCounts()
    {
        var hit = TrialTime.FirstHit([0.9, 0.1], [5, 6], MetricDirection.Maximize, 0.8);

        Assert.Equal(new TrialHit(0, 5), hit);
    }

    [Fact]
    public void FirstHit_NaNMetric_NeverMeets()
    {
        var min = TrialTime.FirstHit([double.NaN, double.NaN], [1, 2], MetricDirection.Minimize, 1.0);
        var max = TrialTime.FirstHit([double.NaN, 0.99], [1, 2], MetricDirection.Maximize, 0.5);

        Assert.Equal(TrialHit.None, min);
        Assert.Equal(new TrialHit(1, 2), max);
    }

    [Fact]
    public void FirstHit_NoEvalMeets_IsInfiniteWithoutIndex()
    {
        var hit = TrialTime.FirstHit([0.1, 0.2], [1, 2], MetricDirection.Maximize, 0.5);

        Assert.False(hit.Reached);
        Assert.Null(hit.EvalIndex);
        Assert.Equal(double.PositiveInfinity, hit.TimeSec);
    }

    [Fact]
    public void FirstHit_NoEvals_IsNone()
    {
        Assert.Equal(TrialHit.None, TrialTime.FirstHit([], [], MetricDirection.Maximize, 0.5));
    }

    [Fact]
    public void FirstHit_LengthMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => TrialTime.FirstHit([0.1], [1, 2], MetricDirection.Maximize, 0.5));
    }

    [Fact]
    public void From_Hit_CopiesIndexAndTime()
    {
        Assert.Equal(new TrialOutcome(3, 4, 12.5), TrialOutcome.From(3, new TrialHit(4, 12.5)));
        Assert.False(TrialOutcome.From(2, TrialHit.None).Reached);
    }
}
