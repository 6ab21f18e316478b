using AlgoPerf.Trainer.Input;

namespace AlgoPerf.Trainer.Tests.Input;

public sealed class EvalBatchesTests
{
    [Fact]
    public void Over_TenByFour_TwoFullBatchesAndAPaddedOne()
    {
        Assert.Equal([new EvalBatch(0, 4, 4), new EvalBatch(4, 4, 4), new EvalBatch(8, 2, 4)], EvalBatches.Over(10, 4));
    }

    [Fact]
    public void Over_Empty_NoBatches()
    {
        Assert.Empty(EvalBatches.Over(0, 4));
    }

    [Theory]
    [InlineData(3_554, 256, 34_742, 3_584)] // fastmri
    [InlineData(50_000, 1_024, 1_281_167, 50_176)] // imagenet_resnet
    [InlineData(50_000, 2_048, 1_281_167, 51_200)] // imagenet_vit
    [InlineData(5_348, 256, 263_840, 5_376)] // librispeech
    [InlineData(3_000, 128, 5_906_184, 3_072)] // wmt
    [InlineData(5_000, 10_000, 55_000, 10_000)]
    [InlineData(5_000, 10_000, 8_000, 8_000)] // capped at the train split
    public void EvalTrainCount_ReferenceSizes_RoundedUpToEvalBatch(int validation, int evalBatch, int train, int expected)
    {
        Assert.Equal(expected, EvalBatches.EvalTrainCount(validation, evalBatch, train));
    }
}
