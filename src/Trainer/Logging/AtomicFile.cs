using System.Text;

using AlgoPerf.Trainer.Checkpoints;

namespace AlgoPerf.Trainer.Logging;

/// <summary>
/// Whole-file rewrites that a crash cannot leave half-written: the text goes to a temporary file in the same
/// directory, is flushed to disk, and replaces the target by rename (atomic on POSIX file systems), after which the
/// directory is synced so the rename itself survives a power loss (<see cref="DurableFile"/>).
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> as UTF-8 (no BOM) to <paramref name="path"/> atomically.</summary>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            DurableFile.Replace(temp, path);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
