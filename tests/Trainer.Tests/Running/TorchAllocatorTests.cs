using AlgoPerf.Trainer.Checkpoints;
using AlgoPerf.Trainer.Running;
using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Tests.Running;

/// <summary>
/// The C heap under LibTorch's CPU tensors. Sequential: the heap is process-wide, and a tensor of another test
/// allocated between two readings would be counted here. The heap's totals get 8 MiB of slack for the runtime's own
/// mallocs and frees on other threads. Whether a large block is mapped on its own depends on whether
/// <see cref="TorchAllocator.KeepFreedMemory"/> ran yet in this process (it cannot be undone), so only its test asserts it.
/// </summary>
[Collection("Sequential")]
public sealed class TorchAllocatorTests
{
    private const long MiB = 1 << 20;

    /// <summary>Loads and initializes LibTorch first, whose own allocations (tens of MiB) would count otherwise.</summary>
    public TorchAllocatorTests()
    {
        using var warmUp = torch.zeros(1);
    }

    [Fact]
    public void ReadStatistics_LargeTensorAllocatedThenDisposed_InUseRisesByItsSizeThenFallsBack()
    {
        var before = Read();
        NativeHeapStatistics during;
        using (var tensor = torch.zeros([64, MiB], ScalarType.Float32))
        {
            during = Read();
        }

        var after = Read();
        Assert.InRange(during.InUseBytes - before.InUseBytes, 248 * MiB, 264 * MiB);
        Assert.Equal(before.MappedBytes, after.MappedBytes);
        Assert.InRange(after.InUseBytes - before.InUseBytes, -8 * MiB, 8 * MiB);
    }

    [Fact]
    public void KeepFreedMemory_TensorBelow32MiB_ServedFromTheHeapAndKeptWhenFreed() => AssertServedFromTheHeapAndKept(4);

    [Fact]
    public void KeepFreedMemory_TensorAbove32MiB_ServedFromTheHeapAndKeptWhenFreed() =>
        // 256 MiB is above glibc's largest mmap threshold (32 MiB): mapped on its own unless mmap is off, and unmapped
        // on free, so an eval's large batches were page-faulted in again every batch.
        AssertServedFromTheHeapAndKept(64);

    [Fact]
    public void KeepFreedMemory_TensorAbove1GiB_KeptWhenFreed() =>
        // 1.25 GiB freed at the heap's top: glibc trims a top above the trim threshold (it was 1 GiB), so an eval whose
        // peak rose that far above a step's gave it back and faulted it in again at every eval.
        AssertServedFromTheHeapAndKept(320);

    private static void AssertServedFromTheHeapAndKept(long mebiFloats)
    {
        // A test thread that got a malloc arena of its own before KeepFreedMemory ran keeps it, and such an arena maps
        // blocks above 64 MiB whatever mallopt says; scripts/test.sh (as ./algoperf) starts with one arena.
        Assert.True(
            Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") == "1",
            "MALLOC_ARENA_MAX=1 must be set when the test process starts: run the tests through scripts/test.sh");
        Assert.True(TorchAllocator.KeepFreedMemory());
        Assert.True(TorchAllocator.KeepFreedMemory());
        var bytes = mebiFloats * 4 * MiB;
        var before = Read();
        NativeHeapStatistics during;
        using (var tensor = torch.zeros([mebiFloats, MiB], ScalarType.Float32))
        {
            during = Read();
        }

        var after = Read();
        // From the heap, not a mapping of its own (glibc's default would map it and unmap it on free).
        Assert.Equal(before.MappedBytes, during.MappedBytes);
        Assert.InRange(during.InUseBytes - before.InUseBytes, bytes - (8 * MiB), bytes + (8 * MiB));
        // Freed, it stays with the heap (no trimming below 2 GiB of free top).
        Assert.Equal(before.MappedBytes, after.MappedBytes);
        Assert.InRange(after.InUseBytes - before.InUseBytes, -8 * MiB, 8 * MiB);
        Assert.True(after.FreeBytes >= bytes, $"free bytes kept: {after.FreeBytes}, expected at least {bytes}");
    }

    private static NativeHeapStatistics Read() =>
        TorchAllocator.ReadStatistics() ?? throw new InvalidOperationException("mallinfo2 is unavailable: the tests run on Linux with glibc 2.33+");
}
