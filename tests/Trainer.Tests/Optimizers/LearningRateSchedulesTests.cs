using AlgoPerf.Trainer.Optimizers;

namespace AlgoPerf.Trainer.Tests.Optimizers;

public sealed class LearningRateSchedulesTests
{
    private static readonly ReferenceTrajectories s_ref = ReferenceTrajectories.Instance;

    public static TheoryData<string> WarmupCosineRuns => ["adamw", "nadamw", "nadamw_clip", "lamb", "adafactor", "shampoo_adam", "shampoo_sgd"];

    [Theory]
    [MemberData(nameof(WarmupCosineRuns))]
    public void WarmupCosine_ReferenceRun_MatchesTorchSchedulers(string run)
    {
        var r = s_ref.Runs[run];
        Assert.Equal("warmup_cosine", r.Schedule);
        var warmup = r.Hyperparameters.TryGetValue("warmup_steps", out var w)
            ? w.GetInt32()
            : LearningRateSchedules.WarmupSteps(r.Hp("warmup_factor"), s_ref.StepHint);
        for (var t = 0; t < s_ref.Steps; t++)
        {
            var expected = r.Lr[t];
            var actual = LearningRateSchedules.WarmupCosine(r.Hp("learning_rate"), s_ref.StepHint, warmup, t);
            Assert.True(Math.Abs(actual - expected) <= 1e-12 * r.Hp("learning_rate"), $"{run} step {t}: {actual} vs torch {expected}");
        }
    }

    [Theory]
    [InlineData("momentum")]
    [InlineData("nesterov")]
    public void WarmupLinearDecay_ReferenceRun_MatchesLambdaLr(string run)
    {
        var r = s_ref.Runs[run];
        for (var t = 0; t < s_ref.Steps; t++)
        {
            var actual = LearningRateSchedules.WarmupLinearDecay(
                r.Hp("learning_rate"), s_ref.StepHint, r.Hp("warmup_factor"), r.Hp("decay_steps_factor"), r.Hp("end_factor"), t);
            Assert.Equal(r.Lr[t], actual);
        }
    }

    [Theory]
    [InlineData("schedule_free_adamw")]
    [InlineData("schedule_free_adamw_reset")]
    public void ScheduleFreeWarmup_ReferenceRun_MatchesOptimizerLr(string run)
    {
        var r = s_ref.Runs[run];
        var warmup = (int)(r.Hp("warmup_factor") * s_ref.StepHint * 0.75);
        var lr = r.Hp("learning_rate");
        var k = 0;
        for (var t = 0; t < s_ref.Steps; t++)
        {
            if (r.Hyperparameters.TryGetValue("reset_before_step", out var reset) && reset.GetInt32() == t)
            {
                lr /= 2; // the reset heuristic halves the rate and restarts k
                k = 0;
            }

            Assert.Equal(r.Lr[t], LearningRateSchedules.ScheduleFreeWarmup(lr, warmup, k++, 1e-8));
        }
    }

    [Fact]
    public void WarmupCosine_ZeroWarmup_Refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedules.WarmupCosine(1, 10, 0, 0));
    }

    [Fact]
    public void WarmupLinearDecay_PastDecay_ConstantAtEndFactor()
    {
        // step_hint 100, warmup 10, decay int(90 * 0.5) = 45 steps: from step 55 on, lr * end_factor.
        Assert.Equal(0.5 * 0.01, LearningRateSchedules.WarmupLinearDecay(0.5, 100, 0.1, 0.5, 0.01, 55), 15);
        Assert.Equal(0.5 * 0.01, LearningRateSchedules.WarmupLinearDecay(0.5, 100, 0.1, 0.5, 0.01, 1000), 15);
        Assert.Equal(0.25, LearningRateSchedules.WarmupLinearDecay(0.5, 100, 0.1, 0.5, 0.01, 5), 15);
    }
}
