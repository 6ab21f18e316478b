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

    [LibraryImport("libc.so.6", EntryPoint = "mallopt")]
    private static partial int Mallopt(int param, int value);
}
