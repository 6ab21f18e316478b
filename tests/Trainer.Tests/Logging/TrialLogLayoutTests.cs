using AlgoPerf.Trainer.Logging;

namespace AlgoPerf.Trainer.Tests.Logging;

public sealed class TrialLogLayoutTests
{
    [Fact]
    public void TrialDirectory_Names_ReferenceLayout()
    {
        Assert.Equal("/runs/r1/nadamw/study_0/fmnist_mlp_pytorch/trial_3", TrialLogLayout.TrialDirectory("/runs/r1", "nadamw", 0, "fmnist_mlp", 3));
    }

    [Theory]
    [InlineData("a/b", "w")]
    [InlineData("..", "w")]
    [InlineData("s", "")]
    public void TrialDirectory_UnsafeName_Throws(string submission, string workload)
    {
        Assert.ThrowsAny<ArgumentException>(() => TrialLogLayout.TrialDirectory("/runs", submission, 0, workload, 1));
    }

    [Fact]
    public void TrialDirectory_TrialZero_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TrialLogLayout.TrialDirectory("/runs", "s", 0, "w", 0));
    }
}
