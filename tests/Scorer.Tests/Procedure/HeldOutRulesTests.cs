using AlgoPerf.Scorer.Model;
using AlgoPerf.Scorer.Procedure;

namespace AlgoPerf.Scorer.Tests.Procedure;

public sealed class HeldOutRulesTests
{
    private const double Inf = double.PositiveInfinity;
    private static readonly ScoringOptions s_options = new(["fastmri", "wmt"], ["wmt_glu_tanh"]);

    private static TimeTable Table(string[] workloads, params (string Sub, double[] Times)[] rows)
    {
        var t = new TimeTable(rows.Select(r => r.Sub).ToList(), workloads);
        for (var s = 0; s < rows.Length; s++)
        {
            for (var w = 0; w < workloads.Length; w++)
            {
                t[s, w] = rows[s].Times[w];
            }
        }

        return t;
    }

    [Fact]
    public void FourTimesRule_StrictlyGreaterThanFourTimesBest_BecomesInfinite()
    {
        var t = Table(["w"], ("a", [10.0]), ("b", [40.0]), ("c", [40.000001]));

        HeldOutRules.FourTimesRule(t);

        Assert.Equal(10.0, t[0, 0]);
        Assert.Equal(40.0, t[1, 0]);
        Assert.Equal(Inf, t[2, 0]);
    }

    [Fact]
    public void FourTimesRule_MissingEntries_SkippedInBestAndKept()
    {
        var t = Table(["w"], ("a", [double.NaN]), ("b", [100.0]), ("c", [500.0]));

        HeldOutRules.FourTimesRule(t);

        Assert.True(double.IsNaN(t[0, 0]));
        Assert.Equal(100.0, t[1, 0]);
        Assert.Equal(Inf, t[2, 0]);
    }

    [Fact]
    public void FourTimesRule_AllInfinite_StaysInfinite()
    {
        var t = Table(["w"], ("a", [Inf]), ("b", [Inf]));

        HeldOutRules.FourTimesRule(t);

        Assert.Equal(Inf, t[0, 0]);
        Assert.Equal(Inf, t[1, 0]);
    }

    [Fact]
    public void Apply_NoHeldOut_OnlyFourTimesRuleAndBaseColumnsInOptionOrder()
    {
        var options = new ScoringOptions(["wmt", "fastmri"], []);
        var t = Table(["fastmri", "wmt"], ("a", [1.0, 100.0]), ("b", [5.0, 300.0]));

        var r = HeldOutRules.Apply(t, options);

        Assert.Equal(["wmt", "fastmri"], r.Workloads);
        Assert.Equal(100.0, r[0, 0]);
        Assert.Equal(300.0, r[1, 0]);
        Assert.Equal(1.0, r[0, 1]);
        Assert.Equal(Inf, r[1, 1]);
    }

    [Fact]
    public void Apply_VariantSolvedButBaseFailed_VariantExcludedFromVariantBest()
    {
        // (a) before (b): a's variant time (1) does not count because a failed the base; so b's variant (10) is the
        // best and stays within 4x, and b's base survives (c).
        var t = Table(["fastmri", "wmt", "wmt_glu_tanh"], ("a", [1.0, Inf, 1.0]), ("b", [1.0, 50.0, 10.0]));

        var r = HeldOutRules.Apply(t, s_options);

        Assert.Equal(["fastmri", "wmt"], r.Workloads);
        Assert.Equal(Inf, r.Get("a", "wmt"));
        Assert.Equal(50.0, r.Get("b", "wmt"));
    }

    [Fact]
    public void Apply_VariantBeyondFourTimes_BaseBecomesInfinite()
    {
        // (b) before (c): b's variant is > 4x a's, so it is cut, and then b's base is cut too.
        var t = Table(["fastmri", "wmt", "wmt_glu_tanh"], ("a", [1.0, 100.0, 10.0]), ("b", [1.0, 90.0, 41.0]));

        var r = HeldOutRules.Apply(t, s_options);

        Assert.Equal(100.0, r.Get("a", "wmt"));
        Assert.Equal(Inf, r.Get("b", "wmt"));
    }

    [Fact]
    public void Apply_VariantMissing_BaseBecomesInfinite()
    {
        var t = Table(["fastmri", "wmt", "wmt_glu_tanh"], ("a", [1.0, 100.0, double.NaN]), ("b", [1.0, 90.0, 10.0]));

        var r = HeldOutRules.Apply(t, s_options);

        Assert.Equal(Inf, r.Get("a", "wmt"));
        Assert.Equal(90.0, r.Get("b", "wmt"));
        Assert.Equal(1.0, r.Get("a", "fastmri"));
    }

    [Fact]
    public void Apply_BaseMissing_VariantAndBaseBecomeInfinite()
    {
        var t = Table(["fastmri", "wmt", "wmt_glu_tanh"], ("a", [1.0, double.NaN, 5.0]), ("b", [1.0, 90.0, 30.0]));

        var r = HeldOutRules.Apply(t, s_options);

        // a's variant (5) is removed by (a), so b's 30 is the variant best and b keeps its base.
        Assert.Equal(Inf, r.Get("a", "wmt"));
        Assert.Equal(90.0, r.Get("b", "wmt"));
    }

    [Fact]
    public void Apply_VariantWithoutBase_Throws()
    {
        var options = new ScoringOptions(["fastmri"], ["wmt_glu_tanh"]);
        var t = Table(["fastmri", "wmt_glu_tanh"], ("a", [1.0, 1.0]));

        var e = Assert.Throws<InvalidDataException>(() => HeldOutRules.Apply(t, options));
        Assert.Contains("wmt_glu_tanh", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BaseOf_FirstBaseThatIsASubstring_Wins()
    {
        var options = new ScoringOptions(["imagenet_resnet", "imagenet_vit", "wmt"], []);

        Assert.Equal("imagenet_resnet", options.BaseOf("imagenet_resnet_large_bn_init"));
        Assert.Equal("imagenet_vit", options.BaseOf("imagenet_vit_glu"));
        Assert.Null(options.BaseOf("ogbg_gelu"));
    }
}
