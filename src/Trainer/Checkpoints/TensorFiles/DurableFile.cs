using System.Runtime.InteropServices;

namespace AlgoPerf.Trainer.Checkpoints;

/// <summary>
/// The last step of a crash-safe file write: the rename of a flushed temporary file over its target, followed by an
/// fsync of the directory, so that after a power loss the directory holds the new file and not the old one or
/// neither (a rename is atomic, but only durable once the directory entry is on disk).
/// </summary>
public static partial class DurableFile
{
    private const int ReadOnly = 0;
    private const int InvalidArgument = 22; // EINVAL: a file system that cannot sync a directory (nothing to do)

    /// <summary>Renames <paramref name="temporary"/> (already flushed to disk) over <paramref name="target"/> and syncs the directory.</summary>
    /// <exception cref="IOException">The rename or the directory sync failed.</exception>
    public static void Replace(string temporary, string target)
    {
        ArgumentException.ThrowIfNullOrEmpty(temporary);
        ArgumentException.ThrowIfNullOrEmpty(target);
        File.Move(temporary, target, overwrite: true);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(target)) ?? ".");
    }

    /// <summary>Flushes a directory's entries to disk (POSIX <c>fsync</c> on the directory; nothing on Windows).</summary>
    /// <exception cref="IOException">The directory cannot be opened or synced; the message names it and the errno.</exception>
    public static void SyncDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(directory, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"{directory}: cannot open the directory to sync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0 && Marshal.GetLastPInvokeError() is var errno && errno != InvalidArgument)
            {
                throw new IOException($"{directory}: fsync of the directory failed (errno {errno})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
