using System.Runtime.InteropServices;

namespace AlgoPerf.Torch;

/// <summary>
/// The C allocator under libtorch's CPU tensors (glibc <c>malloc</c>). By default glibc serves every block above its
/// adaptive mmap threshold with a fresh <c>mmap</c>, gives freed heap tops back to the kernel, and lets threads other
/// than the first use their own arenas, which shrink the same way; a training step that allocates and frees the same
/// multi-megabyte activations every step then pays page faults for all of them each step (the transformer workloads
/// ran 2.2× slower that way, see <c>docs/trainer.md</c> §8).
/// </summary>
public static partial class TorchAllocator
{
    private const int MTrimThreshold = -1;
    private const int MMmapThreshold = -3;
    private const int MArenaMax = -8;

    /// <summary>
    /// Keeps freed memory for reuse: one arena, blocks up to 32 MiB from the heap, and no heap trimming below 1 GiB
    /// of free top (<c>mallopt</c>). Process-wide; call once before training. Returns false where it does not apply
    /// (not Linux/glibc), changing nothing.
    /// </summary>
    public static bool KeepFreedMemory()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return (Mallopt(MArenaMax, 1) == 1) & (Mallopt(MMmapThreshold, 32 << 20) == 1) & (Mallopt(MTrimThreshold, 1 << 30) == 1);
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
