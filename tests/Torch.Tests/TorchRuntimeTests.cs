namespace AlgoPerf.Torch.Tests;

[Collection("Sequential")]
public sealed class TorchRuntimeTests
{
    [Fact]
    public void NumThreads_Set_AlsoSizesOpenBlasPool()
    {
        // scripts/bootstrap.sh installs OpenBLAS (pthread build) as libtorch's BLAS, whose pool at::set_num_threads
        // alone does not reach: without the shim's call it stays at the core count.
        var before = TorchRuntime.NumThreads;
        try
        {
            TorchRuntime.NumThreads = 1;
            Assert.Equal((1, 1), (TorchRuntime.NumThreads, TorchRuntime.BlasThreads));
            TorchRuntime.NumThreads = 2;
            Assert.Equal((2, 2), (TorchRuntime.NumThreads, TorchRuntime.BlasThreads));
        }
        finally
        {
            TorchRuntime.NumThreads = before;
        }
    }
}
