using AlgoPerf.Contracts.Rules;
using AlgoPerf.Scorer.Model;
using AlgoPerf.Scorer.Procedure;

namespace AlgoPerf.Scorer.Tests.Procedure;

public sealed class SpeedupTests
{
    private static TimeTable Table(double[] baseline, double[] comparison)
    {
        var t = new TimeTable(["base", "cmp"], ["criteo1tb", "wmt"]);
        for (var w = 0; w < 2; w++)
        {
            t[0, w] = baseline[w];
            t[1, w] = comparison[w];
        }

        return t;
    }

    [Fact]
    public void GeometricMean_FiniteTimes_GeometricMeanOfRatios()
    {
        var t = Table([100.0, 400.0], [50.0, 100.0]);

        var speedup = Speedup.GeometricMean(t, ["criteo1tb", "wmt"], "base", "cmp", Ruleset.ExternalTuning);

        Assert.Equal(Math.Exp((Math.Log(0.5) + Math.Log(0.25)) / 2), speedup);
    }

    [Fact]
    public void GeometricMean_Infinity_ReplacedByV05BudgetPlusOneSecond()
    {
        var t = Table([double.PositiveInfinity, 10.0], [7704.0 / 2, 10.0]);

        var speedup = Speedup.GeometricMean(t, ["criteo1tb", "wmt"], "base", "cmp", Ruleset.ExternalTuning);

        // criteo1tb v0.5 budget 7703 s: inf -> 7704; ratio 0.5; wmt ratio 1.
        Assert.Equal(Math.Exp((Math.Log(0.5) + Math.Log(1.0)) / 2), speedup);
    }

    [Fact]
    public void GeometricMean_SelfTuning_TriplesReplacementBudget()
    {
        var t = Table([double.PositiveInfinity, 10.0], [23110.0, 10.0]);

        var speedup = Speedup.GeometricMean(t, ["criteo1tb", "wmt"], "base", "cmp", Ruleset.SelfTuning);

        Assert.Equal(1.0, speedup);
    }

    [Fact]
    public void GeometricMean_UnknownSubmission_Throws()
    {
        var t = Table([1.0, 1.0], [1.0, 1.0]);

        Assert.Throws<KeyNotFoundException>(() => Speedup.GeometricMean(t, ["wmt"], "nope", "cmp", Ruleset.ExternalTuning));
    }
}
