using AlgoPerf.Trainer.Submissions;
using AlgoPerf.Trainer.Timing;

namespace AlgoPerf.Trainer.Tests.Timing;

public sealed class TimedLoopTests
{
    // FakeTimeProvider starts at 2000-01-01T00:00:00Z.
    private const double T0 = 946_684_800;

    private static ClockSettings V06(double period, double budget, long? maxSteps = null) => new(period, budget, false, true, maxSteps);

    private static ClockSettings V05(double period, double budget, long? maxSteps = null) => new(period, budget, true, false, maxSteps);

    [Fact]
    public void Run_PrepareCountedEvalAndLoggingExcluded_ExactTimesPerEval()
    {
        var trial = new FakeTrial { UpdateSec = 1, PrepareSec = 0.5, EvalSec = 5, LoggingSec = 2 };
        var outcome = trial.Loop(trial.Clock(V06(period: 4, budget: 1000, maxSteps: 4))).Run();

        Assert.Equal(LoopEndReason.MaxSteps, outcome.Reason);
        Assert.Equal(
            ["select@0", "update@0", "prepare@1", "eval@1", "log@1", "select@1", "update@1", "select@2", "update@2", "prepare@3", "eval@3", "log@3",
             "select@3", "update@3", "prepare@4", "eval@4", "log@4"],
            trial.Calls);
        Assert.Equal([1L, 3L, 4L], outcome.EvalResults.Select(e => e.GlobalStep));

        var first = outcome.EvalResults[0].Metrics;
        Assert.Equal(
            ["validation/accuracy", "test/accuracy", "score", "total_duration", "accumulated_submission_time", "accumulated_eval_time", "accumulated_logging_time"],
            first.Keys);
        Assert.Equal([0, 0, 1.5, 6.5, 1.5, 5, 0], first.Values);
        // Step 2 is not due (t0+9.5 - (t0+6.5) = 3 < 4); step 3 is (exactly 4 seconds).
        Assert.Equal([0, 0, 4.0, 16, 4.0, 10, 2], outcome.EvalResults[1].Metrics.Values);
        Assert.Equal([0, 0, 5.5, 24.5, 5.5, 15, 4], outcome.EvalResults[2].Metrics.Values);

        Assert.Equal(
            new TrainState(false, false, true, T0 + 24.5, true, 5.5, 15, 6, T0 + 26.5),
            outcome.FinalState);
        Assert.Equal(5.5, outcome.Score);
    }

    [Fact]
    public void Run_UpdateSeesReadOnlyTrainStateOfPreviousIteration()
    {
        var trial = new FakeTrial { UpdateSec = 1, PrepareSec = 0.5, EvalSec = 5, LoggingSec = 2 };
        trial.Loop(trial.Clock(V06(period: 4, budget: 1000, maxSteps: 2))).Run();

        Assert.Equal(TrainState.Initial with { LastStepEndTime = T0 }, trial.UpdateContexts[0].TrainState);
        Assert.Equal(
            new TrainState(false, false, true, T0 + 6.5, false, 1.5, 5, 2, T0 + 8.5),
            trial.UpdateContexts[1].TrainState);
        Assert.Single(trial.UpdateContexts[1].EvalResults);
    }

    [Fact]
    public void Run_V06BudgetSpentBetweenEvals_OverrunsUntilNextDueEvalThenSkipsIt()
    {
        var trial = new FakeTrial { UpdateSec = 1 };
        var outcome = trial.Loop(trial.Clock(V06(period: 3, budget: 7.5))).Run();

        Assert.Equal(LoopEndReason.BudgetExhausted, outcome.Reason);
        Assert.Equal(10, outcome.GlobalStep);
        Assert.Equal([1L, 4L, 7L], outcome.EvalResults.Select(e => e.GlobalStep));
        Assert.Equal(10, outcome.Score);
        Assert.False(outcome.FinalState.IsTimeRemaining);
        Assert.DoesNotContain("eval@10", trial.Calls);
        Assert.Contains("prepare@10", trial.Calls); // prepare_for_eval runs (and is timed) before the budget check
    }

    [Theory]
    [InlineData(false, 10.0, 10L, new long[] { 1, 4, 7 })]
    [InlineData(true, 10.0, 10L, new long[] { 1, 4, 7, 10 })] // v0.5: the due eval still runs past the budget
    [InlineData(false, 9.0, 10L, new long[] { 1, 4, 7 })]
    [InlineData(true, 9.0, 9L, new long[] { 1, 4, 7 })] // v0.5: stops on the first step over budget
    public void Run_V05VersusV06_BudgetCheckDiffers(bool v05, double budget, long steps, long[] evalSteps)
    {
        var trial = new FakeTrial { UpdateSec = 1 };
        var outcome = trial.Loop(trial.Clock(v05 ? V05(3, budget) : V06(3, budget))).Run();

        Assert.Equal(LoopEndReason.BudgetExhausted, outcome.Reason);
        Assert.Equal(steps, outcome.GlobalStep);
        Assert.Equal(evalSteps, outcome.EvalResults.Select(e => e.GlobalStep));
        Assert.Equal(steps, outcome.Score);
    }

    [Fact]
    public void Run_V05Rules_NeverCallsPrepareForEval()
    {
        var trial = new FakeTrial { UpdateSec = 1, PrepareSec = 0.5 };
        var outcome = trial.Loop(trial.Clock(V05(3, 100, maxSteps: 5))).Run();

        Assert.DoesNotContain(trial.Calls, c => c.StartsWith("prepare", StringComparison.Ordinal));
        Assert.Equal(5, outcome.Score);
    }

    [Fact]
    public void Run_BothTargetsStrictlyPassed_StopsAtThatEval()
    {
        var trial = new FakeTrial
        {
            Metrics = step => new Dictionary<string, double> { ["validation/accuracy"] = step / 10.0, ["test/accuracy"] = step / 10.0 },
        };
        var outcome = trial.Loop(trial.Clock(V06(period: 0, budget: 1000)), FakeTrial.Workload(0.5, 0.6)).Run();

        Assert.Equal(LoopEndReason.TargetsReached, outcome.Reason);
        Assert.Equal(7, outcome.GlobalStep); // 0.5 and 0.6 equal the targets and do not count (strict)
        var atStep6 = trial.UpdateContexts[6].TrainState;
        Assert.True(atStep6.ValidationGoalReached);
        Assert.False(atStep6.TestGoalReached);
        Assert.False(trial.UpdateContexts[5].TrainState.ValidationGoalReached);
    }

    [Fact]
    public void Run_SubmissionEndsTraining_FinalEvalThenTrainingComplete()
    {
        var trial = new FakeTrial { OnUpdate = ctx => ctx.GlobalStep == 2 ? throw new TrainingCompleteException() : UpdateResult.NoLoss };
        var outcome = trial.Loop(trial.Clock(V06(period: 100, budget: 1000))).Run();

        Assert.Equal(LoopEndReason.TrainingComplete, outcome.Reason);
        Assert.Equal(3, outcome.GlobalStep);
        Assert.Equal([1L, 3L], outcome.EvalResults.Select(e => e.GlobalStep));
        Assert.True(outcome.FinalState.TrainingComplete);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Run_NonFiniteLoss_DivergedWithoutEval(double loss)
    {
        var trial = new FakeTrial { OnUpdate = ctx => new UpdateResult(ctx.GlobalStep == 2 ? loss : 0.25) };
        var outcome = trial.Loop(trial.Clock(V06(period: 0, budget: 1000))).Run();

        Assert.Equal(LoopEndReason.Diverged, outcome.Reason);
        Assert.Equal(3, outcome.GlobalStep);
        Assert.Equal(loss, outcome.DivergedLoss);
        Assert.Equal([1L, 2L], outcome.EvalResults.Select(e => e.GlobalStep));
        Assert.Equal(3, outcome.Score);
    }

    [Fact]
    public void Run_UpdateThrows_FailedWithStackTraceAndNoCrash()
    {
        var trial = new FakeTrial { OnUpdate = ctx => ctx.GlobalStep == 2 ? ThrowingUpdate() : UpdateResult.NoLoss };
        var outcome = trial.Loop(trial.Clock(V06(period: 0, budget: 1000))).Run();

        Assert.Equal(LoopEndReason.Failed, outcome.Reason);
        Assert.Equal(2, outcome.GlobalStep);
        var failure = Assert.IsType<TrialFailure>(outcome.Failure);
        Assert.Equal("update_params", failure.Phase);
        Assert.Equal(2, failure.GlobalStep);
        Assert.Equal(typeof(InvalidOperationException).FullName, failure.ExceptionType);
        Assert.Equal("boom", failure.Message);
        Assert.Contains(nameof(ThrowingUpdate), failure.Details, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_DataSelectionThrows_FailedInDataSelection()
    {
        var trial = new FakeTrial();
        var callbacks = trial.Callbacks();
        var failing = new TimedLoopCallbacks<int>
        {
            SelectData = _ => throw new FormatException("bad batch"),
            Update = callbacks.Update,
            Evaluate = callbacks.Evaluate,
        };
        var outcome = new TimedLoop<int>(FakeTrial.Workload(), trial.Clock(V06(0, 1000)), failing, FakeTrial.LoopSeed).Run();

        Assert.Equal(LoopEndReason.Failed, outcome.Reason);
        Assert.Equal("data_selection", outcome.Failure?.Phase);
        Assert.Equal(0, outcome.GlobalStep);
    }

    [Fact]
    public void Run_PrepareForEvalThrows_FailedInPrepareForEval()
    {
        var trial = new FakeTrial();
        var callbacks = trial.Callbacks();
        var failing = new TimedLoopCallbacks<int>
        {
            SelectData = callbacks.SelectData,
            Update = callbacks.Update,
            PrepareForEval = _ => throw new ArgumentException("no averaged weights"),
            Evaluate = callbacks.Evaluate,
        };
        var outcome = new TimedLoop<int>(FakeTrial.Workload(), trial.Clock(V06(0, 1000)), failing, FakeTrial.LoopSeed).Run();

        Assert.Equal(LoopEndReason.Failed, outcome.Reason);
        Assert.Equal("prepare_for_eval", outcome.Failure?.Phase);
        Assert.Equal(1, outcome.GlobalStep);
        Assert.Empty(outcome.EvalResults);
    }

    [Fact]
    public void Run_LoggingThrows_FailedInLogging()
    {
        var trial = new FakeTrial();
        var outcome = trial.Loop(trial.Clock(V06(0, 1000)), afterEval: _ => throw new IOException("disk full")).Run();

        Assert.Equal(LoopEndReason.Failed, outcome.Reason);
        Assert.Equal("logging", outcome.Failure?.Phase);
    }

    [Fact]
    public void Run_EvalThrows_EvalSkippedAndNextStepDueAgain()
    {
        var evals = 0;
        var trial = new FakeTrial
        {
            Metrics = step => ++evals == 1
                ? throw new InvalidOperationException("out of memory")
                : new Dictionary<string, double> { ["validation/accuracy"] = 0, ["test/accuracy"] = 0 },
        };
        var outcome = trial.Loop(trial.Clock(V06(period: 100, budget: 1000, maxSteps: 3))).Run();

        Assert.Equal(LoopEndReason.MaxSteps, outcome.Reason);
        var error = Assert.Single(outcome.EvalErrors);
        Assert.Equal(("eval", 1L, "out of memory"), (error.Phase, error.GlobalStep, error.Message));
        Assert.Equal([2L, 3L], outcome.EvalResults.Select(e => e.GlobalStep));
    }

    [Fact]
    public void Run_CancelledDuringStep_CancelledBeforeNextStep()
    {
        using var cts = new CancellationTokenSource();
        var trial = new FakeTrial
        {
            OnUpdate = ctx =>
            {
                if (ctx.GlobalStep == 2)
                {
                    cts.Cancel();
                }

                return UpdateResult.NoLoss;
            },
        };
        var outcome = trial.Loop(trial.Clock(V06(period: 100, budget: 1000))).Run(cancellationToken: cts.Token);

        Assert.Equal(LoopEndReason.Cancelled, outcome.Reason);
        Assert.Equal(3, outcome.GlobalStep);
    }

    [Fact]
    public void Run_Resumed_ContinuesStepCountTimesAndEvalHistory()
    {
        var trial = new FakeTrial();
        var previous = new EvalRecord(5, new Dictionary<string, double> { ["score"] = 4 });
        var restored = TrainState.Initial with { AccumulatedSubmissionTime = 4, LastEvalTime = 1 };
        var loop = new TimedLoop<int>(FakeTrial.Workload(), trial.Clock(V06(period: 0, budget: 1000, maxSteps: 7)), trial.Callbacks(), FakeTrial.LoopSeed, [previous]);
        var outcome = loop.Run(restored, globalStep: 5);

        Assert.Equal(LoopEndReason.MaxSteps, outcome.Reason);
        Assert.Equal([5L, 6L, 7L], outcome.EvalResults.Select(e => e.GlobalStep));
        Assert.Equal(6, outcome.Score);
        Assert.Same(previous, trial.UpdateContexts[0].EvalResults[0]);
    }

    [Fact]
    public void Run_EveryIteration_ContextsCarryThatIterationsSeeds()
    {
        var trial = new FakeTrial();
        trial.Loop(trial.Clock(V06(period: 0, budget: 1000, maxSteps: 3))).Run();

        Assert.Equal(
            Enumerable.Range(0, 3).Select(s => StepSeeds.For(FakeTrial.LoopSeed, s)),
            trial.UpdateContexts.Select(c => c.Seeds));
        // prepare_for_eval sees the incremented step but the seeds of the iteration it belongs to.
        Assert.Equal(trial.UpdateContexts.Select(c => c.Seeds), trial.PrepareContexts.Select(c => c.Seeds));
        Assert.Equal([1L, 2L, 3L], trial.PrepareContexts.Select(c => c.GlobalStep));
    }

    private static UpdateResult ThrowingUpdate() => throw new InvalidOperationException("boom");
}
