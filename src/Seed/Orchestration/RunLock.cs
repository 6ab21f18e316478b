namespace AlgoPerf.Seed.Orchestration;

/// <summary>
/// <c>run.lock</c> in a run directory, held (an exclusive advisory lock, released by the kernel when the process ends,
/// kill -9 included) by the process that runs the benchmark: a second process cannot run the same directory, and
/// <c>algoperf status</c> tells a running run from an interrupted one without writing anything.
/// </summary>
public sealed class RunLock : IDisposable
{
    /// <summary>The file name inside the run directory.</summary>
    public const string FileName = "run.lock";

    private readonly FileStream _file;

    private RunLock(FileStream file) => _file = file;

    /// <summary>Takes the lock of <paramref name="runDirectory"/> for this process.</summary>
    /// <exception cref="InvalidOperationException">Another process runs this directory now.</exception>
    public static RunLock Acquire(string runDirectory)
    {
        var path = Path.Combine(runDirectory, FileName);
        Directory.CreateDirectory(runDirectory);
        try
        {
            // FileShare.None is an exclusive flock on Unix (.NET's file-sharing emulation).
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            file.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
            file.Write(pid);
            file.Flush();
            return new RunLock(file);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"{runDirectory}: another algoperf process is running this run directory ({Owner(path)}); wait for it, or stop it first", e);
        }
    }

    /// <summary>True when a process holds the lock of <paramref name="runDirectory"/> now.</summary>
    public static bool IsHeld(string runDirectory)
    {
        var path = Path.Combine(runDirectory, FileName);
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            // A shared lock: refused while the runner holds its exclusive one; it never blocks a runner for longer
            // than this open.
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string Owner(string path)
    {
        try
        {
            using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
            return "pid " + reader.ReadLine()?.Trim();
        }
        catch (IOException)
        {
            return "pid unknown";
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
