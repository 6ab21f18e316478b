using AlgoPerf.Contracts.Rules;
using AlgoPerf.Trainer.Timing;
using Microsoft.Extensions.Time.Testing;

namespace AlgoPerf.Trainer.Tests.Timing;

public sealed class AlgoPerfClockTests
{
    private static readonly ClockSettings s_v06 = new(EvalPeriodSec: 3, MaxAllowedRuntimeSec: 10, BudgetCheckedEveryStep: false, CallsPrepareForEval: true);

    [Fact]
    public void EndStep_FirstStep_EvalDueBecauseLastEvalTimeStartsAtZero()
    {
        var time = new FakeTimeProvider();
        var clock = new AlgoPerfClock(s_v06, time);
        clock.Start();
        time.Advance(TimeSpan.FromSeconds(0.25));

        Assert.True(clock.EndStep(trainingCompleteRaised: false));
        Assert.Equal(0, clock.State.LastEvalTime);
        Assert.Equal(1, clock.GlobalStep);
        Assert.Equal(0.25, clock.State.AccumulatedSubmissionTime);
    }

    [Fact]
    public void EndStep_ExactlyOneEvalPeriodAfterLastEval_EvalDue()
    {
        var time = new FakeTimeProvider();
        var clock = new AlgoPerfClock(s_v06, time);
        clock.Start();
        var evalEnd = clock.Now();
        clock.RecordEval(evalEnd, evalEnd, false, false);
        clock.EndIteration();

        time.Advance(TimeSpan.FromSeconds(2.5));
        Assert.False(clock.EndStep(false));
        clock.EndIteration();
        time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.True(clock.EndStep(false));
    }

    [Fact]
    public void Start_Twice_Throws()
    {
        var clock = new AlgoPerfClock(s_v06, new FakeTimeProvider());
        clock.Start();
        Assert.Throws<InvalidOperationException>(() => clock.Start());
    }

    [Fact]
    public void EndStep_BeforeStart_Throws()
    {
        var clock = new AlgoPerfClock(s_v06, new FakeTimeProvider());
        Assert.Throws<InvalidOperationException>(() => clock.EndStep(false));
    }

    [Fact]
    public void Now_IsEpochSecondsOfTheTimeProvider()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var clock = new AlgoPerfClock(s_v06, time);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeSeconds(), clock.Now());
        time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeSeconds() + 1.5, clock.Now());
    }

    [Fact]
    public void Now_CallsSynchronizeBeforeEveryReading()
    {
        var syncs = 0;
        var clock = new AlgoPerfClock(s_v06, new FakeTimeProvider(), () => syncs++);
        clock.Now();
        clock.Start();
        clock.EndStep(false);
        clock.EndIteration();
        Assert.Equal(4, syncs);
    }

    [Fact]
    public void CheckBudgetBeforeEval_V06AtBudget_NoTimeRemaining()
    {
        var time = new FakeTimeProvider();
        var clock = new AlgoPerfClock(s_v06, time);
        clock.Start();
        time.Advance(TimeSpan.FromSeconds(10));
        clock.EndStep(false);
        Assert.True(clock.State.IsTimeRemaining); // v0.6 does not check on the step itself
        Assert.False(clock.CheckBudgetBeforeEval());
        Assert.False(clock.State.IsTimeRemaining);
        Assert.False(clock.ShouldContinue);
    }

    [Fact]
    public void EndStep_V05AtBudget_NoTimeRemainingButDueEvalStillRuns()
    {
        var time = new FakeTimeProvider();
        var clock = new AlgoPerfClock(s_v06 with { BudgetCheckedEveryStep = true, CallsPrepareForEval = false }, time);
        clock.Start();
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(clock.EndStep(false));
        Assert.False(clock.State.IsTimeRemaining);
        Assert.True(clock.CheckBudgetBeforeEval());
    }

    [Fact]
    public void Start_Restored_KeepsAccumulatedTimesAndRestartsStepWindowNow()
    {
        var time = new FakeTimeProvider();
        var clock = new AlgoPerfClock(s_v06, time);
        var restored = TrainState.Initial with
        {
            AccumulatedSubmissionTime = 4, AccumulatedEvalTime = 2, AccumulatedLoggingTime = 1, LastEvalTime = 123, LastStepEndTime = 99,
        };
        time.Advance(TimeSpan.FromSeconds(50)); // downtime is not counted
        clock.Start(restored, globalStep: 7);
        time.Advance(TimeSpan.FromSeconds(1));
        clock.EndStep(false);

        Assert.Equal(8, clock.GlobalStep);
        Assert.Equal(5, clock.State.AccumulatedSubmissionTime);
        Assert.Equal(2, clock.State.AccumulatedEvalTime);
        Assert.Equal(1, clock.State.AccumulatedLoggingTime);
        Assert.Equal(123, clock.State.LastEvalTime);
    }

    [Fact]
    public void EndStep_MaxGlobalStepsReached_TrainingCompleteAndEvalDue()
    {
        var time = new FakeTimeProvider();
        var clock = new AlgoPerfClock(s_v06 with { EvalPeriodSec = 1000, MaxGlobalSteps = 2 }, time);
        clock.Start();
        Assert.True(clock.EndStep(false)); // the first step is always due
        Assert.False(clock.State.TrainingComplete);
        clock.RecordEval(clock.Now(), clock.Now(), false, false);
        clock.EndIteration();
        Assert.True(clock.EndStep(false)); // the period has not passed, but the step limit makes the eval due
        Assert.True(clock.State.TrainingComplete);
        Assert.True(clock.ReachedMaxSteps);
    }

    [Theory]
    [InlineData(Ruleset.ExternalTuning, 4_430.0, false, true)]
    [InlineData(Ruleset.SelfTuning, 6_645.0, false, true)]
    public void For_V06Fastmri_BudgetAndSwitches(Ruleset ruleset, double budget, bool everyStep, bool prepare)
    {
        var s = ClockSettings.For(RulesVersions.V06, RulesVersions.V06.Workload("fastmri"), ruleset);
        Assert.Equal(new ClockSettings(80, budget, everyStep, prepare), s);
    }

    [Fact]
    public void For_V05SelfTuning_ThreeTimesBudgetCheckedEveryStepWithoutPrepare()
    {
        var s = ClockSettings.For(RulesVersions.V05, RulesVersions.V05.Workload("criteo1tb"), Ruleset.SelfTuning, maxGlobalSteps: 5);
        Assert.Equal(new ClockSettings(120, 3 * 7_703, true, false, 5), s);
    }
}
