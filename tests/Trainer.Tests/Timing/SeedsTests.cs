using AlgoPerf.Trainer.Timing;

namespace AlgoPerf.Trainer.Tests.Timing;

public sealed class SeedsTests
{
    [Fact]
    public void TrialSeedsFrom_SameSeed_SameAndPairwiseDistinct()
    {
        var seeds = TrialSeeds.From(123);
        Assert.Equal(seeds, TrialSeeds.From(123));
        Assert.Equal(4, new[] { seeds.Data, seeds.OptimizerInit, seeds.ModelInit, seeds.Loop }.Distinct().Count());
        Assert.NotEqual(seeds, TrialSeeds.From(124));
    }

    [Fact]
    public void StepSeedsFor_ThousandSteps_AllSeedsDistinct()
    {
        var all = Enumerable.Range(0, 1000)
            .Select(step => StepSeeds.For(9, step))
            .SelectMany(s => new[] { s.DataSelection, s.Update, s.PrepareForEval, s.Eval })
            .ToArray();
        Assert.Equal(all.Length, all.Distinct().Count());
        Assert.Equal(StepSeeds.For(9, 500), StepSeeds.For(9, 500));
    }
}
