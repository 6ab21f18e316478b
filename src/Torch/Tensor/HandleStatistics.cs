namespace AlgoPerf.Torch;

/// <summary>
/// Counts native tensor handles, so tests can prove that a training step or a cancelled trial leaks nothing
/// (TorchSharp's <c>DisposeScopeManager.Statistics</c>).
/// </summary>
public static class HandleStatistics
{
    private static long s_created;
    private static long s_released;

    /// <summary>Handles created since the process started.</summary>
    public static long Created => Interlocked.Read(ref s_created);

    /// <summary>Handles released since the process started.</summary>
    public static long Released => Interlocked.Read(ref s_released);

    /// <summary>Handles alive now.</summary>
    public static long Live => Created - Released;

    internal static void OnCreated() => Interlocked.Increment(ref s_created);

    internal static void OnReleased() => Interlocked.Increment(ref s_released);
}
