namespace AlgoPerf.Actors.Internal;

/// <summary>Runs mailboxes: decides which thread executes an actor's turn.</summary>
internal abstract class MessageDispatcher
{
    /// <summary>Arranges for <paramref name="mailbox"/>'s <see cref="Mailbox.Execute"/> to run once.</summary>
    public abstract void Schedule(Mailbox mailbox);
}

/// <summary>The .NET thread pool (global queue, so actors are served fairly).</summary>
internal sealed class ThreadPoolDispatcher : MessageDispatcher
{
    public static ThreadPoolDispatcher Instance { get; } = new();

    public override void Schedule(Mailbox mailbox) => ThreadPool.UnsafeQueueUserWorkItem(mailbox, preferLocal: false);
}

/// <summary>
/// One dedicated background thread for one actor, for blocking work; the thread ends when the actor stops.
/// </summary>
internal sealed class PinnedDispatcher : MessageDispatcher
{
    private readonly SemaphoreSlim _signal = new(0);
    private readonly string _name;
    private Mailbox? _mailbox;
    private int _started;

    public PinnedDispatcher(string name)
    {
        _name = name;
    }

    public override void Schedule(Mailbox mailbox)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _mailbox = mailbox;
            var thread = new Thread(Loop) { IsBackground = true, Name = "algoperf-pinned:" + _name };
            thread.Start();
        }

        _signal.Release();
    }

    private void Loop()
    {
        var mailbox = _mailbox!;
        while (!mailbox.IsClosed)
        {
            _signal.Wait();
            mailbox.Execute();
        }

        _signal.Dispose();
    }
}
