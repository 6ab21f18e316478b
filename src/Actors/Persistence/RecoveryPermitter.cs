namespace AlgoPerf.Actors.Persistence;

/// <summary>
/// Limits how many persistent actors recover at once (Akka's <c>RecoveryPermitter</c>,
/// <c>max-concurrent-recoveries = 50</c>), so a process restarting thousands of actors does not replay every stream
/// at the same moment. A recovery takes a permit before it loads its snapshot and returns it when it completes, fails
/// or its actor stops; waiting recoveries get permits in request order. Thread-safe.
/// </summary>
public sealed class RecoveryPermitter
{
    private readonly Lock _gate = new();
    private readonly Queue<RecoveryPermit> _queue = new();
    private int _used;
    private int _waiting;

    /// <summary>Creates a permitter with <paramref name="maxPermits"/> permits.</summary>
    /// <param name="maxPermits">Recoveries allowed at once (at least 1).</param>
    public RecoveryPermitter(int maxPermits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPermits, 1);
        MaxPermits = maxPermits;
    }

    /// <summary>Recoveries allowed at once.</summary>
    public int MaxPermits { get; }

    /// <summary>Permits held now.</summary>
    public int UsedPermits
    {
        get
        {
            lock (_gate)
            {
                return _used;
            }
        }
    }

    /// <summary>Recoveries waiting for a permit now.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiting;
            }
        }
    }

    /// <summary>Requests a permit; <see cref="RecoveryPermit.Granted"/> completes when it is held.</summary>
    internal RecoveryPermit Request()
    {
        var permit = new RecoveryPermit(this);
        var grant = false;
        lock (_gate)
        {
            if (_used < MaxPermits)
            {
                _used++;
                permit.State = RecoveryPermit.Held;
                grant = true;
            }
            else
            {
                _waiting++;
                _queue.Enqueue(permit);
            }
        }

        if (grant)
        {
            permit.Signal();
        }

        return permit;
    }

    /// <summary>Returns a held permit or withdraws a waiting request (idempotent).</summary>
    internal void Return(RecoveryPermit permit)
    {
        RecoveryPermit? next = null;
        lock (_gate)
        {
            switch (permit.State)
            {
                case RecoveryPermit.Waiting:
                    permit.State = RecoveryPermit.Returned;
                    _waiting--;
                    return;
                case RecoveryPermit.Held:
                    permit.State = RecoveryPermit.Returned;
                    _used--;
                    break;
                default:
                    return;
            }

            while (_queue.TryDequeue(out var candidate))
            {
                if (candidate.State == RecoveryPermit.Waiting)
                {
                    candidate.State = RecoveryPermit.Held;
                    _waiting--;
                    _used++;
                    next = candidate;
                    break;
                }
            }
        }

        next?.Signal();
    }
}

/// <summary>One recovery's request for a permit of a <see cref="RecoveryPermitter"/>.</summary>
internal sealed class RecoveryPermit
{
    internal const int Waiting = 0;
    internal const int Held = 1;
    internal const int Returned = 2;

    private readonly RecoveryPermitter _owner;
    private readonly TaskCompletionSource _granted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal RecoveryPermit(RecoveryPermitter owner)
    {
        _owner = owner;
    }

    /// <summary>Completes when the permit is held.</summary>
    public Task Granted => _granted.Task;

    /// <summary>Guarded by the permitter's lock.</summary>
    internal int State { get; set; }

    /// <summary>Returns the permit (or withdraws the request); idempotent.</summary>
    public void Return() => _owner.Return(this);

    internal void Signal() => _granted.TrySetResult();
}
