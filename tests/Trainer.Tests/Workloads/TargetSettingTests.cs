using AlgoPerf.Contracts.Rules;
using AlgoPerf.Trainer.Workloads;

namespace AlgoPerf.Trainer.Tests.Workloads;

public sealed class TargetSettingTests
{
    [Fact]
    public void Spec_AccuracyWorkload_SchedulesOverThreeQuartersWithUnreachableTargets()
    {
        var spec = DevSuiteSpecs.Get("fmnist_mlp") with { StepHint = 3001 };

        var run = TargetSetting.Spec(spec, evalPeriodSec: 0.5);

        Assert.Equal(spec with { StepHint = 2250, ValidationTarget = double.PositiveInfinity, TestTarget = double.PositiveInfinity, MaxRuntimeSec = double.PositiveInfinity, EvalPeriodSec = 0.5 }, run);
        Assert.False(run.RunnerReachedValidation(1.0));
        Assert.False(run.ScorerMeetsValidation(1.0));
    }

    [Fact]
    public void Spec_LossWorkloadWithoutEvalPeriod_KeepsEvalPeriodAndNeverMeetsTarget()
    {
        var spec = DevSuiteSpecs.Get("dlrm_synth");

        var run = TargetSetting.Spec(spec);

        Assert.Equal((1500, double.NegativeInfinity, double.NegativeInfinity, double.PositiveInfinity, spec.EvalPeriodSec), (run.StepHint, run.ValidationTarget, run.TestTarget, run.MaxRuntimeSec, run.EvalPeriodSec));
        Assert.False(run.RunnerReachedValidation(0.0));
        Assert.False(run.ScorerMeetsValidation(double.MinValue));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Spec_BadEvalPeriod_Throws(double period) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TargetSetting.Spec(DevSuiteSpecs.Get("fmnist_mlp"), period));

    [Fact]
    public void Spec_StepHintOfOne_ThrowsNamingWorkload()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => TargetSetting.Spec(DevSuiteSpecs.Get("fmnist_mlp") with { StepHint = 1 }));

        Assert.Contains("fmnist_mlp: step_hint 1 leaves no target-setting step", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3000, 2250)]
    [InlineData(2000, 1500)]
    [InlineData(7, 5)]
    public void ScheduleSteps_StepHint_IsIntOfThreeQuarters(int stepHint, int expected) =>
        Assert.Equal(expected, TargetSetting.ScheduleSteps(stepHint));

    [Fact]
    public void Unreachable_EachDirection_IsTheInfinityBeyondEveryValue() =>
        Assert.Equal((double.PositiveInfinity, double.NegativeInfinity), (TargetSetting.Unreachable(MetricDirection.Maximize), TargetSetting.Unreachable(MetricDirection.Minimize)));
}
