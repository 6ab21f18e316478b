using AlgoPerf.Contracts.Rules;
using AlgoPerf.Scorer.Model;
using AlgoPerf.Scorer.Procedure;

namespace AlgoPerf.Scorer.Tests.Procedure;

public sealed class PerformanceProfileTests
{
    private const double Inf = double.PositiveInfinity;

    private static TimeTable Column(params double[] times)
    {
        var t = new TimeTable(times.Select((_, i) => "s" + i).ToList(), ["w"]);
        for (var i = 0; i < times.Length; i++)
        {
            t[i, 0] = times[i];
        }

        return t;
    }

    [Fact]
    public void Ratios_DividesByColumnBest()
    {
        var r = PerformanceProfile.Ratios(Column(10.0, 25.0, Inf));

        Assert.Equal(1.0, r[0, 0]);
        Assert.Equal(2.5, r[1, 0]);
        Assert.Equal(Inf, r[2, 0]);
    }

    [Fact]
    public void Ratios_NobodySolved_InfOverInfKeepsInf()
    {
        var r = PerformanceProfile.Ratios(Column(Inf, Inf));

        Assert.Equal(Inf, r[0, 0]);
        Assert.Equal(Inf, r[1, 0]);
    }

    [Fact]
    public void Ratios_MissingEntry_StaysMissing()
    {
        var r = PerformanceProfile.Ratios(Column(double.NaN, 4.0));

        Assert.True(double.IsNaN(r[0, 0]));
        Assert.Equal(1.0, r[1, 0]);
    }

    [Fact]
    public void Ratios_ZeroTime_ZeroOverZeroKeepsZero()
    {
        var r = PerformanceProfile.Ratios(Column(0.0, 3.0));

        Assert.Equal(0.0, r[0, 0]);
        Assert.Equal(Inf, r[1, 0]);
    }

    [Fact]
    public void Rho_FixedDenominator_MissingWorkloadIsFailure()
    {
        var ratios = new TimeTable(["s"], ["a", "b"]);
        ratios[0, 0] = 1.0;
        ratios[0, 1] = 2.0;

        var rho = PerformanceProfile.Rho(ratios, 0, [1.0, 1.5, 2.0, 4.0], numBaseWorkloads: 8);

        Assert.Equal([1.0 / 8, 1.0 / 8, 2.0 / 8, 2.0 / 8], rho);
    }

    [Fact]
    public void Rho_NaNAndInf_NeverCount()
    {
        var ratios = new TimeTable(["s"], ["a", "b"]);
        ratios[0, 0] = double.NaN;
        ratios[0, 1] = Inf;

        Assert.Equal([0.0, 0.0], PerformanceProfile.Rho(ratios, 0, [1.0, 4.0], 2));
    }

    [Fact]
    public void Score_FastestEverywhere_IsOne()
    {
        var tau = RulesVersion.TauGrid();
        var rho = Enumerable.Repeat(1.0, tau.Length).ToArray();

        Assert.Equal(1.0, PerformanceProfile.Score(rho, tau, poolSize: 1), 12);
        Assert.Equal(1.0, PerformanceProfile.Score(rho, tau, poolSize: 2), 12);
    }

    [Fact]
    public void Score_RatioTwoOnEveryWorkload_TwoThirdsMinusHalfCell()
    {
        // rho = 0 for tau < 2 and 1 from the first grid point >= 2: area = 4 - tau_k + half a cell.
        var tau = RulesVersion.TauGrid();
        var ratios = Column(2.0);
        var rho = PerformanceProfile.Rho(ratios, 0, tau, 1);
        var k = Array.FindIndex(tau, t => t >= 2.0);
        var expected = ((4.0 - tau[k]) + ((tau[k] - tau[k - 1]) / 2)) / 3.0;

        Assert.Equal(expected, PerformanceProfile.Score(rho, tau, 1), 12);
    }

    [Fact]
    public void Score_NeverSolved_IsZero()
    {
        var tau = RulesVersion.TauGrid();

        Assert.Equal(0.0, PerformanceProfile.Score(new double[tau.Length], tau, 3));
    }

    [Fact]
    public void Compute_UsesHundredPointGridFromOneToFour()
    {
        var (tau, rho, scores) = PerformanceProfile.Compute(Column(1.0, 3.0), numBaseWorkloads: 1);

        Assert.Equal(100, tau.Length);
        Assert.Equal(1.0, tau[0]);
        Assert.Equal(4.0, tau[^1]);
        Assert.Equal(2, rho.Length);
        Assert.Equal(1.0, scores[0], 12);
        Assert.True(scores[1] is > 0.3 and < 0.35, $"score {scores[1]}");
    }
}
