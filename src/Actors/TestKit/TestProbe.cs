using System.Collections.Concurrent;
using AlgoPerf.Actors.Internal;

namespace AlgoPerf.Actors.TestKit;

/// <summary>
/// A test actor that records what it receives, for expectations with (dilated, real-time) timeouts. A failed
/// expectation throws <see cref="TestProbeException"/> naming the probe, what was expected and what arrived.
/// </summary>
public sealed partial class TestProbe
{
    private readonly ConcurrentQueue<Envelope> _queue = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly ProbeRef _ref;

    /// <summary>Creates a probe in <paramref name="system"/>.</summary>
    public TestProbe(ActorSystem system, string name = "probe", TestKitSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        Name = name;
        Settings = settings ?? TestKitSettings.Current;
        _ref = new ProbeRef(this, system);
    }

    /// <summary>The probe's name (in failure messages).</summary>
    public string Name { get; }

    /// <summary>Timeouts and time factor.</summary>
    public TestKitSettings Settings { get; }

    /// <summary>The probe as a ref: pass it as sender or as a target.</summary>
    public IActorRef Ref => _ref;

    /// <summary>The sender of the last message taken by an expectation.</summary>
    public IActorRef? LastSender { get; private set; }

    /// <summary>Messages received and not yet taken.</summary>
    public int Pending => _queue.Count;

    /// <summary>Sends <paramref name="message"/> to <paramref name="target"/> with the probe as sender.</summary>
    public void Send(IActorRef target, object message)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Tell(message, Ref);
    }

    /// <summary>Replies to <see cref="LastSender"/>.</summary>
    public void Reply(object message) =>
        (LastSender ?? throw new TestProbeException($"probe '{Name}': Reply without a previous message")).Tell(message, Ref);

    /// <summary>Watches <paramref name="actor"/>: its <see cref="Terminated"/> arrives at this probe.</summary>
    public void Watch(IActorRef actor)
    {
        var target = actor as IInternalActorRef ?? throw new ArgumentException($"{actor?.Path} is not a ref of an actor system", nameof(actor));
        target.SendSystemMessage(new Internal.Watch(target, _ref));
    }

    /// <summary>Waits for the next message, whatever it is.</summary>
    public async Task<object> ReceiveOneAsync(TimeSpan? timeout = null)
    {
        var limit = Limit(timeout);
        return await TakeAsync(limit).ConfigureAwait(false)
            ?? throw Timeout(limit, "any message");
    }

    /// <summary>Expects the next message to be a <typeparamref name="T"/> (matching <paramref name="predicate"/> when given).</summary>
    public async Task<T> ExpectMsgAsync<T>(Func<T, bool>? predicate = null, TimeSpan? timeout = null, string? hint = null)
    {
        var limit = Limit(timeout);
        var what = $"a {typeof(T).Name}{(predicate is null ? string.Empty : " matching " + (hint ?? "the predicate"))}";
        var message = await TakeAsync(limit).ConfigureAwait(false) ?? throw Timeout(limit, what);
        if (message is T typed && (predicate is null || predicate(typed)))
        {
            return typed;
        }

        throw new TestProbeException($"probe '{Name}': expected {what} but received {Describe(message)}");
    }

    /// <summary>Expects the next message to equal <paramref name="expected"/>.</summary>
    public async Task<T> ExpectMsgAsync<T>(T expected, TimeSpan? timeout = null)
        where T : notnull
    {
        var limit = Limit(timeout);
        var message = await TakeAsync(limit).ConfigureAwait(false) ?? throw Timeout(limit, $"{expected}");
        return message is T typed && EqualityComparer<T>.Default.Equals(typed, expected)
            ? typed
            : throw new TestProbeException($"probe '{Name}': expected {expected} but received {Describe(message)}");
    }

    /// <summary>Synchronous <see cref="ExpectMsgAsync{T}(Func{T, bool}?, TimeSpan?, string?)"/> (blocks the calling thread).</summary>
    public T ExpectMsg<T>(Func<T, bool>? predicate = null, TimeSpan? timeout = null) =>
        ExpectMsgAsync<T>(predicate, timeout, hint: null).GetAwaiter().GetResult();

    /// <summary>Expects no message during <paramref name="duration"/> (dilated real time).</summary>
    public async Task ExpectNoMsgAsync(TimeSpan duration)
    {
        var message = await TakeAsync(Settings.Dilated(duration)).ConfigureAwait(false);
        if (message is not null)
        {
            throw new TestProbeException($"probe '{Name}': expected no message for {duration} but received {Describe(message)}");
        }
    }

    /// <summary>Skips messages until one is a <typeparamref name="T"/> matching <paramref name="predicate"/>.</summary>
    public async Task<T> FishForMessageAsync<T>(Func<T, bool> predicate, TimeSpan? timeout = null, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var limit = Limit(timeout);
        var deadline = TimeProvider.System.GetTimestamp() + (long)(limit.TotalSeconds * TimeProvider.System.TimestampFrequency);
        var skipped = new List<string>();
        while (true)
        {
            var left = TimeSpan.FromSeconds((double)(deadline - TimeProvider.System.GetTimestamp()) / TimeProvider.System.TimestampFrequency);
            var message = left > TimeSpan.Zero ? await TakeAsync(left).ConfigureAwait(false) : null;
            if (message is null)
            {
                throw new TestProbeException(
                    $"probe '{Name}': timeout ({limit}) fishing for a {typeof(T).Name} matching {hint ?? "the predicate"}; skipped {skipped.Count}: [{string.Join(", ", skipped)}]");
            }

            if (message is T typed && predicate(typed))
            {
                return typed;
            }

            skipped.Add(Describe(message));
        }
    }

    /// <summary>Expects the <see cref="Terminated"/> of <paramref name="actor"/> (after <see cref="Watch"/>).</summary>
    public Task<Terminated> ExpectTerminatedAsync(IActorRef actor, TimeSpan? timeout = null) =>
        ExpectMsgAsync<Terminated>(t => ReferenceEquals(t.Actor, actor), timeout, $"Terminated({actor?.Path})");

    private TimeSpan Limit(TimeSpan? timeout) => Settings.Dilated(timeout ?? Settings.SingleExpectDefault);

    private TestProbeException Timeout(TimeSpan limit, string what) =>
        new($"probe '{Name}': timeout ({limit}) waiting for {what}; nothing arrived");

    private static string Describe(object message) => $"{message.GetType().Name} {{ {message} }}";

    private async Task<object?> TakeAsync(TimeSpan timeout)
    {
        if (!await _available.WaitAsync(timeout).ConfigureAwait(false))
        {
            return null;
        }

        _queue.TryDequeue(out var envelope);
        LastSender = envelope.Sender;
        return envelope.Message;
    }

    private void Enqueue(Envelope envelope)
    {
        _queue.Enqueue(envelope);
        _available.Release();
    }
}
