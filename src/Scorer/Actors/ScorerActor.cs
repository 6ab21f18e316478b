using AlgoPerf.Actors;
using AlgoPerf.Actors.Persistence.Journal;
using AlgoPerf.Actors.Persistence.Journal.Query;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Scorer.Live;
using Microsoft.Extensions.Logging;

namespace AlgoPerf.Scorer.Actors;

/// <summary>
/// The live scorer: tails every event of the journal (<see cref="IEventQueries.AllEventsAsync"/>, from the first one,
/// so it keeps no state of its own and is rebuilt from scratch on every start or restart), feeds them to a
/// <see cref="ScoreProjection"/>, and publishes <see cref="ScoresChanged"/> (provisional scores, with best and worst
/// cases while studies are unfinished) to its subscribers whenever the scores change.
/// </summary>
/// <remarks>
/// <para>The journal query runs as an async loop off the actor thread and pipes each event to the actor as a message,
/// so the mailbox never blocks; at most <see cref="Window"/> events are in flight. The loop first reads the events
/// stored now (<see cref="QueryMode.Current"/>) and then tails new ones (<see cref="QueryMode.Live"/>); nothing is
/// published before that first read has ended, so a rebuild does not flood subscribers with intermediate scores.</para>
/// <para>Exactly once: an event whose ordering is not above the last one read is dropped, and a projection update
/// that leaves every score as it was publishes nothing (the projection itself ignores a redelivered eval, end or
/// decision, such as the tuner's copy of a runner's outcome). Changes are coalesced: a burst of events publishes one
/// update.</para>
/// <para>When the query fails (database down, unreadable event) the failure is logged and the tail restarts from the
/// last ordering read after a back-off (100 ms doubling to 30 s); the projection is kept.</para>
/// </remarks>
public sealed class ScorerActor : ActorBase
{
    /// <summary>The most events the tail loop hands to the mailbox before the actor has handled them.</summary>
    public const int Window = 256;

    private static readonly TimeSpan s_minBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(30);

    private readonly IEventQueries _queries;
    private readonly LiveScoringSetup _setup;
    private readonly HashSet<IActorRef> _subscribers = [];
    private readonly List<IActorRef> _waiting = [];
    private ScoreProjection _projection;
    private JournalTail? _tail;
    private ScoresChanged? _last;
    private long _offset;
    private long _read;
    private long _applied;
    private bool _caughtUp;
    private bool _publishPending;
    private int _failuresInARow;
    private int _restarts;

    /// <summary>Creates the scorer (through <see cref="Props(IEventQueries, LiveScoringSetup)"/>).</summary>
    public ScorerActor(IEventQueries queries, LiveScoringSetup setup)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(setup);
        _queries = queries;
        _setup = setup;
        _projection = new ScoreProjection(setup);
    }

    /// <summary>Props for a scorer over <paramref name="queries"/>.</summary>
    /// <param name="queries">The journal's read side (<c>PersistenceStore.Queries</c>); its serializer must know every
    /// event type stored (the tuner's <c>StudyPlanned</c> too), or the tail stops at the first unreadable event and retries.</param>
    /// <param name="setup">What is scored: ruleset, targets, base and held-out workloads, selection rule, planned
    /// studies and trials (<see cref="LiveScoringSetup.FromRules"/> for a built-in rules version).</param>
    public static Props Props(IEventQueries queries, LiveScoringSetup setup) =>
        AlgoPerf.Actors.Props.Create(() => new ScorerActor(queries, setup));

    /// <inheritdoc />
    protected override void PreStart() => StartTail();

    /// <inheritdoc />
    protected override void PostStop() => _tail?.Stop();

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case TailEvent e:
                OnEvent(e);
                break;
            case TailCaughtUp c when c.Tail == _tail:
                _failuresInARow = 0;
                if (!_caughtUp)
                {
                    _caughtUp = true;
                    SchedulePublish();
                }

                break;
            case TailFailed f when f.Tail == _tail:
                OnTailFailed(f.Error);
                break;
            case RestartTail:
                StartTail();
                break;
            case Publish:
                OnPublish();
                break;
            case SubscribeScores s:
                ArgumentNullException.ThrowIfNull(s.Subscriber);
                if (_subscribers.Add(s.Subscriber))
                {
                    Context.Watch(s.Subscriber);
                    if (_caughtUp && _last is not null)
                    {
                        s.Subscriber.Tell(_last, Self);
                    }
                }

                break;
            case UnsubscribeScores u:
                if (u.Subscriber is not null && _subscribers.Remove(u.Subscriber))
                {
                    Context.Unwatch(u.Subscriber);
                }

                break;
            case Terminated t:
                _subscribers.Remove(t.Actor);
                break;
            case GetScores:
                if (_caughtUp && _last is not null && !_publishPending)
                {
                    Sender.Tell(_last, Self);
                }
                else
                {
                    _waiting.Add(Sender);
                }

                break;
            case GetScorerStatus:
                Sender.Tell(new ScorerStatus(_offset, _read, _applied, _caughtUp, _subscribers.Count, _restarts), Self);
                break;
            case RebuildScores:
                _projection = new ScoreProjection(_setup);
                (_offset, _read, _applied, _caughtUp) = (0, 0, 0, false);
                Context.Timers.Cancel(RestartTail.Key);
                StartTail();
                break;
            case TailCaughtUp or TailFailed:
                break; // from a tail that was replaced
            default:
                Unhandled(message);
                break;
        }
    }

    private void OnEvent(TailEvent e)
    {
        if (e.Tail != _tail)
        {
            return; // in flight from a replaced tail; the new one reads it again
        }

        e.Tail.Ack();
        _failuresInARow = 0;
        var stored = e.Event;
        if (stored.Ordering <= _offset)
        {
            return;
        }

        _offset = stored.Ordering;
        _read++;
        if (stored.Payload is IEvent payload && _projection.Apply(payload))
        {
            _applied++;
            SchedulePublish();
        }
    }

    private void OnTailFailed(Exception error)
    {
        _tail = null;
        _restarts++;
        var delay = TimeSpan.FromTicks(Math.Min(s_maxBackoff.Ticks, s_minBackoff.Ticks << Math.Min(_failuresInARow, 20)));
        _failuresInARow++;
        Context.Log.LogError(error, "scorer: the journal tail failed after ordering {Offset}; restarting in {Delay}", _offset, delay);
        Context.Timers.StartSingleTimer(RestartTail.Key, RestartTail.Instance, delay);
    }

    /// <summary>Queues one <see cref="Publish"/> behind the events already in the mailbox, so a burst publishes once.</summary>
    private void SchedulePublish()
    {
        if (_caughtUp && !_publishPending)
        {
            _publishPending = true;
            Self.Tell(Publish.Instance, Self);
        }
    }

    private void OnPublish()
    {
        _publishPending = false;
        if (ScoreFeed.Differs(_last, _projection.Snapshot()) is { } next)
        {
            _last = next;
            foreach (var subscriber in _subscribers)
            {
                subscriber.Tell(next, Self);
            }
        }

        foreach (var asker in _waiting)
        {
            asker.Tell(_last!, Self);
        }

        _waiting.Clear();
    }

    private void StartTail()
    {
        _tail?.Stop();
        _tail = new JournalTail(_queries, Self);
        _tail.Start(_offset);
    }

    /// <summary>One run of the query loop; replaced (and stopped) when it fails or the projection is rebuilt.</summary>
    private sealed class JournalTail(IEventQueries queries, IActorRef actor)
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly SemaphoreSlim _window = new(Window, Window);

        public void Start(long afterOrdering) => _ = Task.Run(() => RunAsync(afterOrdering));

        public void Ack() => _window.Release();

        public void Stop() => _stop.Cancel();

        private async Task RunAsync(long afterOrdering)
        {
            var token = _stop.Token;
            try
            {
                var last = afterOrdering;
                await foreach (var e in queries.AllEventsAsync(afterOrdering, QueryMode.Current, token).ConfigureAwait(false))
                {
                    await _window.WaitAsync(token).ConfigureAwait(false);
                    actor.Tell(new TailEvent(this, e), null);
                    last = e.Ordering;
                }

                actor.Tell(new TailCaughtUp(this), null);
                await foreach (var e in queries.AllEventsAsync(last, QueryMode.Live, token).ConfigureAwait(false))
                {
                    await _window.WaitAsync(token).ConfigureAwait(false);
                    actor.Tell(new TailEvent(this, e), null);
                }

                token.ThrowIfCancellationRequested();
                throw new InvalidOperationException("the live journal query ended");
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Stopped by the actor.
            }
#pragma warning disable CA1031 // Any failure of the loop goes to the actor, which logs it and restarts the tail.
            catch (Exception e)
#pragma warning restore CA1031
            {
                actor.Tell(new TailFailed(this, e), null);
            }
        }
    }

    private sealed record TailEvent(JournalTail Tail, PersistentRepresentation Event);

    private sealed record TailCaughtUp(JournalTail Tail);

    private sealed record TailFailed(JournalTail Tail, Exception Error);

    private sealed record RestartTail
    {
        public static readonly string Key = "restart-tail";

        public static RestartTail Instance { get; } = new();
    }

    private sealed record Publish
    {
        public static Publish Instance { get; } = new();
    }
}
