using Akka.Actor;
using AlgoPerf.Contracts.Delivery;
using AlgoPerf.Contracts.Ids;

namespace AlgoPerf.Trainer.Actors;

/// <summary>
/// A trainer's results on their way to its requester, delivered at least once: each <see cref="TrialReport"/> is
/// numbered and kept until acknowledged (<see cref="ResultAck"/>); what is still unacknowledged goes again on every
/// <see cref="Redeliver"/> (those sent before the previous one), to a new requester (<see cref="Attach"/>), and before
/// an attempt's end (<see cref="ResendAttempt"/>). Used by the actor that owns it, on its thread.
/// </summary>
public sealed class ReportOutbox
{
    private readonly SortedDictionary<long, TrialReport> _unacknowledged = [];
    private long _seq;
    private long _resendUpTo;

    /// <summary>Where reports go (the scheduler that started the trial, or the coordinator that attached the trainer).</summary>
    public IActorRef Requester { get; private set; } = ActorRefs.Nobody;

    /// <summary>The reports not yet acknowledged, in sequence order.</summary>
    public IReadOnlyList<TrialReport> Unacknowledged => [.. _unacknowledged.Values];

    /// <summary>Reports go to <paramref name="requester"/> from now on.</summary>
    public void Attach(IActorRef requester)
    {
        Requester = requester ?? throw new ArgumentNullException(nameof(requester));
        _resendUpTo = _seq;
    }

    /// <summary>Numbers <paramref name="body"/> as a report of the attempt, keeps it and sends it.</summary>
    public TrialReport Send(TrialId trial, int attempt, object body, IActorRef self)
    {
        var report = new TrialReport(trial, attempt, ++_seq, body);
        _unacknowledged[report.Seq] = report;
        Requester.Tell(report, self);
        return report;
    }

    /// <summary>Forgets an acknowledged report.</summary>
    public void Acknowledged(ResultAck ack)
    {
        ArgumentNullException.ThrowIfNull(ack);
        if (_unacknowledged.TryGetValue(ack.Seq, out var report) && report.Trial == ack.Trial && report.Attempt == ack.Attempt)
        {
            _unacknowledged.Remove(ack.Seq);
        }
    }

    /// <summary>Sends again what was sent before the previous call and is still unacknowledged (the requester, or the coordinator behind it, may have died before dealing with it).</summary>
    public void Redeliver(IActorRef self)
    {
        foreach (var report in _unacknowledged.Values.Where(r => r.Seq <= _resendUpTo))
        {
            Requester.Tell(report, self);
        }

        _resendUpTo = _seq;
    }

    /// <summary>
    /// Sends again the attempt's unacknowledged reports, before its end: from one sender messages keep their order, so
    /// a tuner that missed them (it restarted during a journal outage) records them before it takes the end, after
    /// which it would drop them as results of a finished trial.
    /// </summary>
    public void ResendAttempt(TrialId trial, int attempt, IActorRef self)
    {
        foreach (var report in _unacknowledged.Values.Where(r => r.Trial == trial && r.Attempt == attempt))
        {
            Requester.Tell(report, self);
        }
    }
}
