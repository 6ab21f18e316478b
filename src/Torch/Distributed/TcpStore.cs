using AlgoPerf.Torch.PInvoke;

namespace AlgoPerf.Torch.Distributed;

/// <summary>
/// A c10d <c>TCPStore</c>: the key-value rendezvous through which the ranks of a process group find each other.
/// Rank 0 hosts it (<see cref="Host"/>); every other rank connects to it (<see cref="Connect"/>).
/// </summary>
public sealed class TcpStore : IDisposable
{
    private readonly StoreHandle _handle;

    static TcpStore() => NativeLibraryLoader.EnsureRegistered();

    private TcpStore(StoreHandle handle, string address, int port)
    {
        _handle = handle;
        Address = address;
        Port = port;
    }

    /// <summary>The address of the store's server.</summary>
    public string Address { get; }

    /// <summary>The server's port; for a store hosted on port 0, the free port it picked.</summary>
    public int Port { get; }

    internal StoreHandle Handle => _handle;

    /// <summary>
    /// Hosts the store on <paramref name="address"/>:<paramref name="port"/> (0 picks a free port, see
    /// <see cref="Port"/>) for a group of <paramref name="worldSize"/> ranks. Returns at once; ranks join later.
    /// </summary>
    /// <param name="address">The address to listen on.</param>
    /// <param name="port">The port to listen on; 0 picks a free one.</param>
    /// <param name="worldSize">Number of ranks that will use the store.</param>
    /// <param name="timeout">How long operations on the store (and rendezvous through it) may wait.</param>
    public static TcpStore Host(string address, int port, int worldSize, TimeSpan timeout) =>
        Create(address, port, isServer: true, worldSize, timeout);

    /// <summary>
    /// Connects to the store hosted at <paramref name="address"/>:<paramref name="port"/>, retrying until
    /// <paramref name="timeout"/> passes.
    /// </summary>
    /// <exception cref="TorchException">No store answered within the timeout.</exception>
    public static TcpStore Connect(string address, int port, int worldSize, TimeSpan timeout) =>
        Create(address, port, isServer: false, worldSize, timeout);

    /// <summary>Releases this reference to the store (a process group built on it keeps its own).</summary>
    public void Dispose() => _handle.Dispose();

    internal static long Milliseconds(TimeSpan timeout, string name)
    {
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, timeout, "a timeout must be positive");
        }

        return (long)Math.Ceiling(timeout.TotalMilliseconds);
    }

    private static TcpStore Create(string address, int port, bool isServer, int worldSize, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        var ms = Milliseconds(timeout, nameof(timeout));
        var status = NativeMethods.ats_dist_store_create(address, port, isServer ? 1 : 0, worldSize, ms, out var actualPort, out var handle);
        return new TcpStore(NativeHandle.Adopt(status, handle, nameof(NativeMethods.ats_dist_store_create)), address, actualPort);
    }
}
