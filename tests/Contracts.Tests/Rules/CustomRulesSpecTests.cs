using AlgoPerf.Contracts.Rules;

namespace AlgoPerf.Contracts.Tests.Rules;

public sealed class CustomRulesSpecTests
{
    private static readonly WorkloadSpec s_mnist = new("mnist", null, "loss", MetricDirection.Minimize, 0.3, 0.3, 120, 2000, 15);

    private static CustomRulesSpec Spec() => new("dev", "v0.6", 2, 1, 3, 2.0, [s_mnist]);

    [Fact]
    public void Build_ValidSpec_CarriesCountsWorkloadsAndTheClockOfItsBase()
    {
        var rules = Spec() with { ClockFrom = "v0.5" };

        var v = rules.Build();

        Assert.Equal(("dev", 2, 1, 3, 2.0), (v.Name, v.StudiesExternal, v.StudiesSelfTuning, v.TrialsPerStudy, v.SelfTuningBudgetFactor));
        Assert.Equal((false, true, false), (v.HeldOutEnabled, v.BudgetCheckedEveryStep, v.HasPrepareForEval));
        Assert.Equal([s_mnist], v.Workloads);
        Assert.Empty(v.HeldOutWorkloads);
        Assert.Equal(240.0, v.Budget(s_mnist, Ruleset.SelfTuning));
        Assert.Equal(1, v.Trials(Ruleset.SelfTuning));
    }

    [Theory]
    [InlineData("v0.6", 1, 1, 1, 1.0, "rules 'v0.6': name: 'v0.6' is a built-in rules version")]
    [InlineData("dev", 0, 1, 1, 1.0, "rules 'dev': studies_external: must be at least 1 (got 0)")]
    [InlineData("dev", 1, 0, 1, 1.0, "rules 'dev': studies_self_tuning: must be at least 1 (got 0)")]
    [InlineData("dev", 1, 1, 0, 1.0, "rules 'dev': trials_per_study: must be at least 1 (got 0)")]
    [InlineData("dev", 1, 1, 1, 0.0, "rules 'dev': self_tuning_budget_factor: must be positive (got 0)")]
    public void Build_OutOfRange_ThrowsNamingTheField(string name, int studies, int selfStudies, int trials, double factor, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => new CustomRulesSpec(name, "v0.6", studies, selfStudies, trials, factor, [s_mnist]).Build());

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Build_NoWorkloads_Throws()
    {
        var e = Assert.Throws<InvalidDataException>(() => (Spec() with { Workloads = [] }).Build());

        Assert.Equal("rules 'dev': workloads: needs at least one base workload", e.Message);
    }

    [Fact]
    public void Build_DuplicateWorkload_Throws()
    {
        var e = Assert.Throws<InvalidDataException>(() => (Spec() with { Workloads = [s_mnist, s_mnist] }).Build());

        Assert.Equal("rules 'dev': workloads: workload 'mnist' is listed twice", e.Message);
    }

    [Fact]
    public void Build_NonPositiveBudget_Throws()
    {
        var e = Assert.Throws<InvalidDataException>(() => (Spec() with { Workloads = [s_mnist with { MaxRuntimeSec = 0 }] }).Build());

        Assert.Equal("rules 'dev': workloads.mnist.max_runtime_sec: must be positive (got 0)", e.Message);
    }

    [Fact]
    public void Build_UnknownClock_Throws()
    {
        var e = Assert.Throws<InvalidDataException>(() => (Spec() with { ClockFrom = "v0.7" }).Build());

        Assert.Equal("rules 'dev': clock_from: unknown rules version 'v0.7' (known: v0.5, v0.6)", e.Message);
    }

    [Fact]
    public void Resolve_CustomOrBuiltIn_FindsEither()
    {
        Assert.Equal("dev", CustomRulesSpec.Resolve("dev", [Spec()]).Name);
        Assert.Same(RulesVersions.V05, CustomRulesSpec.Resolve("v0.5", [Spec()]));
    }

    [Fact]
    public void Resolve_Unknown_ListsEveryKnownVersion()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => CustomRulesSpec.Resolve("nope", [Spec()]));

        Assert.Equal("unknown rules version 'nope' (known: v0.5, v0.6, dev)", e.Message);
    }
}
