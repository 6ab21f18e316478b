using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AlgoPerf.Trainer.Distributed;

/// <summary>
/// The rendezvous store of Gloo gangs (gloo::rendezvous::Store on TCP): a key-value map that rank 0's process hosts
/// and every rank's <see cref="GlooReducer.Connect"/> reaches at <see cref="Address"/>, which rank 0 sends to the other
/// ranks. Each rank sets one key with its transport addresses and waits for the others'; keys start with the gang's id,
/// so one store serves any number of gangs and attempts, and a key is set once (a reused gang id is refused, never
/// mixed up with a dead attempt's addresses). Keep the server until every rank of the gang has connected (a rank's
/// <see cref="GlooReducer.Connect"/> returning does not mean the others are done); its keys stay until it is disposed
/// (a few hundred bytes per rank).
/// <para>
/// The protocol (little-endian; native/gloo/algoperf_gloo.cpp is the client): a request is u8 op (1 set, 2 get,
/// 3 wait), u32 timeout in ms, u32 key count, that many (u32 length, UTF-8 key), and for set a u32 length and the
/// value; the answer is u8 status (0 ok, 1 timed out, 2 refused), u32 length and the value (get) or the reason
/// (refused). A get or wait that is not satisfied within its timeout is answered "timed out".
/// </para>
/// </summary>
public sealed class GlooStoreServer : IDisposable
{
    /// <summary>The longest key accepted, in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 4096;

    /// <summary>The largest value accepted, in bytes.</summary>
    public const int MaxValueBytes = 1 << 20;

    /// <summary>The most keys one wait names.</summary>
    public const int MaxKeysPerRequest = 4096;

    private const byte OpSet = 1;
    private const byte OpGet = 2;
    private const byte OpWait = 3;
    private const byte StatusOk = 0;
    private const byte StatusTimedOut = 1;
    private const byte StatusRefused = 2;

    private readonly TcpListener _listener;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, byte[]> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);
    private readonly HashSet<Socket> _connections = [];
    private bool _disposed;

    /// <summary>Starts serving on <paramref name="address"/>, which the other ranks must reach.</summary>
    /// <param name="address">A specific address of this machine (not Any: <see cref="Address"/> must be reachable).</param>
    /// <param name="port">The port; 0 takes a free one.</param>
    /// <param name="timeProvider">Times the waits (the system clock by default).</param>
    public GlooStoreServer(IPAddress address, int port = 0, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            throw new ArgumentException("the store must bind an address the other ranks reach, not every interface", nameof(address));
        }

        _time = timeProvider ?? TimeProvider.System;
        _listener = new TcpListener(address, port);
        _listener.Start();
        var bound = (IPEndPoint)_listener.LocalEndpoint;
        Address = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{bound.Port}" : $"{address}:{bound.Port}";
        _ = AcceptAsync(_stop.Token);
    }

    /// <summary>The address to give the ranks: "host:port" ("[v6]:port" for IPv6).</summary>
    public string Address { get; }

    /// <summary>Keys set so far.</summary>
    public int KeyCount
    {
        get
        {
            lock (_values)
            {
                return _values.Count;
            }
        }
    }

    /// <summary>Stops listening and closes every connection; waits in progress end without an answer.</summary>
    public void Dispose()
    {
        lock (_values)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _stop.Cancel();
        _listener.Stop();
        lock (_connections)
        {
            foreach (var c in _connections)
            {
                c.Dispose();
            }

            _connections.Clear();
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            lock (_connections)
            {
                if (stop.IsCancellationRequested)
                {
                    socket.Dispose();
                    return;
                }

                _connections.Add(socket);
            }

            _ = ServeAsync(socket, stop);
        }
    }

    // Answers one connection's requests in order until it closes. A connection that breaks the protocol is refused and closed.
    private async Task ServeAsync(Socket socket, CancellationToken stop)
    {
        var stream = new NetworkStream(socket, ownsSocket: true);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                var header = new byte[9];
                while (true)
                {
                    try
                    {
                        await stream.ReadExactlyAsync(header, stop).ConfigureAwait(false);
                    }
                    catch (EndOfStreamException)
                    {
                        return;
                    }

                    var (status, body) = await AnswerAsync(stream, header, stop).ConfigureAwait(false);
                    var answer = new byte[5 + body.Length];
                    answer[0] = status;
                    BinaryPrimitives.WriteUInt32LittleEndian(answer.AsSpan(1), (uint)body.Length);
                    body.CopyTo(answer, 5);
                    await stream.WriteAsync(answer, stop).ConfigureAwait(false);
                    if (status == StatusRefused)
                    {
                        return;
                    }
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The rank went away (it died, or connected and closed), or the server stops: nothing to answer.
            }
            finally
            {
                lock (_connections)
                {
                    _connections.Remove(socket);
                }
            }
        }
    }

    private async Task<(byte Status, byte[] Body)> AnswerAsync(NetworkStream stream, byte[] header, CancellationToken stop)
    {
        var op = header[0];
        var timeout = TimeSpan.FromMilliseconds(Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(1)), int.MaxValue));
        var count = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(5));
        if (op is not (OpSet or OpGet or OpWait) || count > MaxKeysPerRequest || (op != OpWait && count != 1))
        {
            return Refuse($"a request with op {op} and {count} keys");
        }

        var keys = new string[count];
        for (var i = 0; i < keys.Length; i++)
        {
            var key = await ReadBlockAsync(stream, MaxKeyBytes, stop).ConfigureAwait(false);
            if (key is null)
            {
                return Refuse($"a key over {MaxKeyBytes} bytes");
            }

            keys[i] = Encoding.UTF8.GetString(key);
        }

        switch (op)
        {
            case OpSet:
                var value = await ReadBlockAsync(stream, MaxValueBytes, stop).ConfigureAwait(false);
                return value is null ? Refuse($"a value over {MaxValueBytes} bytes") : Set(keys[0], value);
            case OpGet:
                return await ReadyAsync(keys, timeout, stop).ConfigureAwait(false) ? (StatusOk, Value(keys[0])) : (StatusTimedOut, []);
            default:
                return await ReadyAsync(keys, timeout, stop).ConfigureAwait(false) ? (StatusOk, []) : (StatusTimedOut, []);
        }
    }

    private static (byte Status, byte[] Body) Refuse(string reason) => (StatusRefused, Encoding.UTF8.GetBytes(reason));

    private static async Task<byte[]?> ReadBlockAsync(NetworkStream stream, int limit, CancellationToken stop)
    {
        var length = new byte[4];
        await stream.ReadExactlyAsync(length, stop).ConfigureAwait(false);
        var n = BinaryPrimitives.ReadUInt32LittleEndian(length);
        if (n > limit)
        {
            return null;
        }

        var block = new byte[n];
        await stream.ReadExactlyAsync(block, stop).ConfigureAwait(false);
        return block;
    }

    private (byte Status, byte[] Body) Set(string key, byte[] value)
    {
        lock (_values)
        {
            if (!_values.TryAdd(key, value))
            {
                return Refuse($"key {key} is set already: every attempt of a gang needs a gang id of its own");
            }

            if (_waiters.Remove(key, out var waiter))
            {
                waiter.SetResult();
            }
        }

        return (StatusOk, []);
    }

    private byte[] Value(string key)
    {
        lock (_values)
        {
            return _values[key];
        }
    }

    private async Task<bool> ReadyAsync(string[] keys, TimeSpan timeout, CancellationToken stop)
    {
        var pending = new List<Task>();
        lock (_values)
        {
            foreach (var key in keys)
            {
                if (_values.ContainsKey(key))
                {
                    continue;
                }

                if (!_waiters.TryGetValue(key, out var waiter))
                {
                    waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _waiters[key] = waiter;
                }

                pending.Add(waiter.Task);
            }
        }

        if (pending.Count == 0)
        {
            return true;
        }

        try
        {
            await Task.WhenAll(pending).WaitAsync(timeout, _time, stop).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
