namespace AlgoPerf.Torch.Tests;

/// <summary>
/// The C heap under libtorch's CPU tensors. Sequential: the heap is process-wide, and a tensor of another test
/// allocated between two readings would be counted here. Blocks above the mmap threshold are counted exactly (their own
/// mappings: size plus one page of header and alignment); the heap's totals get 8 MiB of slack for the runtime's own
/// mallocs and frees on other threads.
/// </summary>
[Collection("Sequential")]
public sealed class TorchAllocatorTests
{
    private const long MiB = 1 << 20;

    /// <summary>Loads and initializes libtorch first, whose own allocations (tens of MiB) would count otherwise.</summary>
    public TorchAllocatorTests()
    {
        using var warmUp = AlgoPerf.Torch.Tensor.Zeros([1]);
    }

    [Fact]
    public void ReadStatistics_LargeTensorAllocatedThenDisposed_InUseRisesByItsSizeThenFallsBack()
    {
        var before = Read();
        NativeHeapStatistics during;
        using (var tensor = AlgoPerf.Torch.Tensor.Zeros([64, MiB], ScalarType.Float32))
        {
            during = Read();
        }

        var after = Read();
        Assert.InRange(during.MappedBytes - before.MappedBytes, 256 * MiB, (256 * MiB) + 4096);
        Assert.InRange(during.InUseBytes - before.InUseBytes, 248 * MiB, 264 * MiB);
        Assert.Equal(before.MappedBytes, after.MappedBytes);
        Assert.InRange(after.InUseBytes - before.InUseBytes, -8 * MiB, 8 * MiB);
    }

    [Fact]
    public void KeepFreedMemory_TensorBelow32MiB_ServedFromTheHeapAndKeptWhenFreed()
    {
        Assert.True(TorchAllocator.KeepFreedMemory());
        Assert.True(TorchAllocator.KeepFreedMemory());
        var before = Read();
        NativeHeapStatistics during;
        using (var tensor = AlgoPerf.Torch.Tensor.Zeros([4, MiB], ScalarType.Float32))
        {
            during = Read();
        }

        var after = Read();
        // 16 MiB is below the 32 MiB mmap threshold: from the heap, not a fresh mmap (glibc's default would map it and
        // unmap it on free, page-faulting it in again at the next step).
        Assert.Equal(before.MappedBytes, during.MappedBytes);
        Assert.InRange(during.InUseBytes - before.InUseBytes, 8 * MiB, 24 * MiB);
        // Freed, it stays with the heap (no trimming below 1 GiB of free top).
        Assert.InRange(after.InUseBytes - before.InUseBytes, -8 * MiB, 8 * MiB);
        Assert.True(after.FreeBytes >= 16 * MiB, $"free bytes kept: {after.FreeBytes}");
    }

    private static NativeHeapStatistics Read() =>
        TorchAllocator.ReadStatistics() ?? throw new InvalidOperationException("mallinfo2 is unavailable: the tests run on Linux with glibc 2.33+");
}
