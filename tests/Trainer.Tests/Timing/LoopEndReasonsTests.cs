using AlgoPerf.Contracts.Events;
using AlgoPerf.Trainer.Timing;

namespace AlgoPerf.Trainer.Tests.Timing;

public sealed class LoopEndReasonsTests
{
    [Theory]
    [InlineData(LoopEndReason.TargetsReached, "targets_reached", TrialEndReason.TargetsReached)]
    [InlineData(LoopEndReason.BudgetExhausted, "budget_exhausted", TrialEndReason.BudgetExhausted)]
    [InlineData(LoopEndReason.TrainingComplete, "training_complete", TrialEndReason.TrainingComplete)]
    [InlineData(LoopEndReason.MaxSteps, "max_steps", TrialEndReason.MaxSteps)]
    [InlineData(LoopEndReason.Diverged, "diverged", TrialEndReason.Diverged)]
    [InlineData(LoopEndReason.StoppedEarly, "stopped_early", TrialEndReason.StoppedEarly)]
    public void ToWireAndFinishReason_NormalEnds_MapToTrialFinished(LoopEndReason reason, string wire, TrialEndReason finish)
    {
        Assert.Equal(wire, reason.ToWire());
        Assert.Equal(finish, reason.ToFinishReason());
    }

    [Theory]
    [InlineData(LoopEndReason.Failed, "failed")]
    [InlineData(LoopEndReason.Cancelled, "cancelled")]
    public void ToFinishReason_FailedOrCancelled_Null(LoopEndReason reason, string wire)
    {
        Assert.Equal(wire, reason.ToWire());
        Assert.Null(reason.ToFinishReason());
    }
}
