using System.Collections.Concurrent;

namespace AlgoPerf.Actors.Internal;

/// <summary>
/// An actor's mailbox: a lock-free multi-producer queue of user envelopes (FIFO per producer) plus a small locked
/// queue of system messages that is drained first and between user messages. The mailbox schedules itself on its
/// dispatcher when it goes from idle to non-empty, then handles at most <c>throughput</c> user messages per turn
/// before yielding the thread, so a chatty actor cannot starve others.
/// </summary>
internal sealed class Mailbox : IThreadPoolWorkItem
{
    private const int Idle = 0;
    private const int Scheduled = 1;
    private const int Closed = 2;

    private readonly ConcurrentQueue<Envelope> _queue = new();
    private readonly Queue<SystemMessage> _system = new();
    private readonly MessageDispatcher _dispatcher;
    private readonly int _throughput;
    private Queue<Envelope>? _prepend;
    private int _status;
    private int _systemCount;

    public Mailbox(MessageDispatcher dispatcher, int throughput)
    {
        _dispatcher = dispatcher;
        _throughput = throughput;
    }

    /// <summary>The cell this mailbox feeds (set once, before the first message).</summary>
    public ActorCell Cell { get; set; } = null!;

    /// <summary>Suspensions in force (consumer thread only); user messages wait while it is above zero.</summary>
    public int SuspendCount { get; set; }

    public bool IsClosed => (Volatile.Read(ref _status) & Closed) != 0;

    /// <summary>Enqueues a user message; on a closed mailbox it goes to dead letters.</summary>
    public void Post(in Envelope envelope)
    {
        _queue.Enqueue(envelope);
        var status = Volatile.Read(ref _status);
        if (status == Idle)
        {
            TrySchedule();
        }
        else if ((status & Closed) != 0)
        {
            DrainToDeadLetters();
        }
    }

    /// <summary>Enqueues a system message; false when the mailbox is closed (the caller handles it as dead).</summary>
    public bool TryPostSystem(SystemMessage message)
    {
        lock (_system)
        {
            if (IsClosed)
            {
                return false;
            }

            _system.Enqueue(message);
            Interlocked.Increment(ref _systemCount);
        }

        TrySchedule();
        return true;
    }

    /// <summary>Puts envelopes in front of everything else, in the given order (consumer thread only).</summary>
    public void Prepend(IReadOnlyList<Envelope> envelopes)
    {
        var next = new Queue<Envelope>(envelopes);
        if (_prepend is not null)
        {
            while (_prepend.TryDequeue(out var e))
            {
                next.Enqueue(e);
            }
        }

        _prepend = next;
    }

    /// <summary>Runs one turn: system messages, then up to <c>throughput</c> user messages.</summary>
    public void Execute()
    {
        if (!IsClosed)
        {
            var previous = ActorCell.Current;
            ActorCell.Current = Cell;
            try
            {
                ProcessSystemMessages();
                ProcessUserMessages();
            }
            finally
            {
                ActorCell.Current = previous;
            }
        }

        Interlocked.And(ref _status, ~Scheduled);
        if (CanBeScheduled())
        {
            TrySchedule();
        }
    }

    /// <summary>Closes the mailbox (consumer thread); returns the system messages that never ran.</summary>
    public List<SystemMessage> Close()
    {
        List<SystemMessage> left;
        lock (_system)
        {
            Interlocked.Or(ref _status, Closed);
            left = [.. _system];
            _system.Clear();
            Volatile.Write(ref _systemCount, 0);
        }

        if (_prepend is not null)
        {
            while (_prepend.TryDequeue(out var e))
            {
                Cell.System.PublishDeadLetter(e.Message, e.Sender, Cell.Self);
            }
        }

        DrainToDeadLetters();
        return left;
    }

    private void ProcessSystemMessages()
    {
        while (Volatile.Read(ref _systemCount) > 0 && !IsClosed)
        {
            SystemMessage message;
            lock (_system)
            {
                if (!_system.TryDequeue(out message!))
                {
                    return;
                }

                Interlocked.Decrement(ref _systemCount);
            }

            Cell.SystemInvoke(message);
        }
    }

    private void ProcessUserMessages()
    {
        var left = _throughput;
        while (left-- > 0 && SuspendCount == 0 && !IsClosed && TryDequeue(out var envelope))
        {
            Cell.Invoke(envelope);
            if (Volatile.Read(ref _systemCount) > 0)
            {
                ProcessSystemMessages();
            }
        }
    }

    private bool TryDequeue(out Envelope envelope)
    {
        if (_prepend is not null && _prepend.TryDequeue(out envelope))
        {
            if (_prepend.Count == 0)
            {
                _prepend = null;
            }

            return true;
        }

        return _queue.TryDequeue(out envelope);
    }

    private bool CanBeScheduled()
    {
        if (IsClosed)
        {
            return false;
        }

        if (Volatile.Read(ref _systemCount) > 0)
        {
            return true;
        }

        return SuspendCount == 0 && (!_queue.IsEmpty || _prepend is not null);
    }

    private void TrySchedule()
    {
        if (Interlocked.CompareExchange(ref _status, Scheduled, Idle) == Idle)
        {
            _dispatcher.Schedule(this);
        }
    }

    private void DrainToDeadLetters()
    {
        while (_queue.TryDequeue(out var e))
        {
            Cell.System.PublishDeadLetter(e.Message, e.Sender, Cell.Self);
        }
    }
}
