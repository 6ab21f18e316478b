using System.Runtime.InteropServices;

namespace AlgoPerf.Trainer.Running;

/// <summary>
/// The C allocator under libtorch's CPU tensors (glibc <c>malloc</c>). By default glibc serves every block above its
/// adaptive mmap threshold with a fresh <c>mmap</c>, gives freed heap tops back to the kernel, and lets threads other
/// than the first use their own arenas, which shrink the same way; a training step that allocates and frees the same
/// multi-megabyte activations every step then pays page faults for all of them each step (the transformer workloads
/// ran 2.2× slower that way, see <c>docs/trainer.md</c> §8). An eval, whose batches are larger than a step's, paid the
/// same way for blocks above 32 MiB (glibc's largest mmap threshold) and for heap tops above the trim threshold, until
/// both were turned off (one fmnist_vit_post_ln tuning process's evals took 52-78 s instead of 12-14 s).
/// </summary>
public static partial class TorchAllocator
{
    private const int MTrimThreshold = -1;
    private const int MMmapMax = -4;
    private const int MArenaMax = -8;

    /// <summary>
    /// Keeps freed memory for reuse: one arena, every block from the heap (no <c>mmap</c>ed chunks; the heap itself
    /// falls back to <c>mmap</c> if it cannot grow), and no heap trimming below 2 GiB of free top (<c>mallopt</c>). A
    /// process's resident memory is then its peak heap. Process-wide; call once before training. Returns false where
    /// it does not apply (not Linux/glibc), changing nothing.
    /// </summary>
    public static bool KeepFreedMemory()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            // Setting the trim threshold also turns off glibc's adaptive mmap and trim thresholds.
            return (Mallopt(MArenaMax, 1) == 1) & (Mallopt(MMmapMax, 0) == 1) & (Mallopt(MTrimThreshold, int.MaxValue) == 1);
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// What the C heap holds now (glibc <c>mallinfo2</c>): the bytes handed out to live allocations, and the freed bytes
    /// it keeps for reuse. Resident memory alone cannot tell a leak from kept memory once <see cref="KeepFreedMemory"/>
    /// stops trimming: a leak grows <see cref="NativeHeapStatistics.InUseBytes"/>, a new peak or fragmentation grows
    /// <see cref="NativeHeapStatistics.FreeBytes"/>. Null where it does not apply (not Linux/glibc 2.33+). Walks every
    /// arena under its lock: for samples (per eval), not for every step.
    /// </summary>
    /// <returns>The statistics, or null.</returns>
    public static NativeHeapStatistics? ReadStatistics()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            var info = MallInfo2();
            return new NativeHeapStatistics(
                InUseBytes: checked((long)(info.Uordblks + info.Hblkhd)),
                FreeBytes: checked((long)info.Fordblks),
                MappedBytes: checked((long)info.Hblkhd));
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
        catch (DllNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "mallopt")]
    private static partial int Mallopt(int param, int value);

    [LibraryImport("libc.so.6", EntryPoint = "mallinfo2")]
    private static partial MallInfo2Result MallInfo2();

    /// <summary>glibc's <c>struct mallinfo2</c> (all <c>size_t</c>, in this order).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct MallInfo2Result
    {
        public readonly nuint Arena;
        public readonly nuint Ordblks;
        public readonly nuint Smblks;
        public readonly nuint Hblks;
        public readonly nuint Hblkhd;
        public readonly nuint Usmblks;
        public readonly nuint Fsmblks;
        public readonly nuint Uordblks;
        public readonly nuint Fordblks;
        public readonly nuint Keepcost;
    }
}

/// <summary>The C heap at one moment (<see cref="TorchAllocator.ReadStatistics"/>).</summary>
/// <param name="InUseBytes">Bytes of live allocations, heap and mmapped (<c>uordblks + hblkhd</c>).</param>
/// <param name="FreeBytes">Freed bytes the heap keeps for reuse (<c>fordblks</c>); resident only where touched.</param>
/// <param name="MappedBytes">Of <paramref name="InUseBytes"/>, the bytes in blocks served by their own <c>mmap</c> (<c>hblkhd</c>).</param>
public readonly record struct NativeHeapStatistics(long InUseBytes, long FreeBytes, long MappedBytes);
