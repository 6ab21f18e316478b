using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Scorer.Live;

namespace AlgoPerf.Scorer.Actors;

/// <summary>
/// The live scorer: reads every event of the journal through Akka.Persistence.Query (<see cref="IJournalEvents"/>: the
/// Sql read journal's <c>CurrentAllEvents</c>, then the live <c>AllEvents</c>), from the first one, so it keeps no state
/// of its own and is rebuilt from scratch on every start or restart; feeds them to a <see cref="ScoreProjection"/>; and
/// publishes <see cref="ScoresChanged"/> (provisional scores, with best and worst cases while studies are unfinished)
/// to its subscribers whenever the scores change. The same events feed a <see cref="RunProjection"/> (trial states,
/// curves, studies, sessions) that <see cref="GetRunView"/> asks for: what status, the terminal view and the dashboard show.
/// </summary>
/// <remarks>
/// <para>The query stream runs in Akka.Streams and reaches the actor through <c>Sink.ActorRefWithAck</c>: one event in
/// flight at a time, acknowledged once handled, so the mailbox never fills and never blocks. The tail first reads the
/// events stored now and then follows new ones; nothing is published before that first read has ended, so a rebuild
/// does not flood subscribers with intermediate scores.</para>
/// <para>Exactly once: an event whose offset is not above the last one read is dropped, and a projection update that
/// leaves every score as it was publishes nothing (the projection itself ignores a redelivered eval, end or decision,
/// such as the tuner's copy of a runner's outcome). Changes are coalesced: a burst of events publishes one update.</para>
/// <para>When the query fails (database down, unreadable event) the failure is logged and the tail restarts from the
/// last offset read after a back-off (100 ms doubling to 30 s, an Akka timer); the projection is kept.</para>
/// </remarks>
public sealed class ScorerActor : UntypedActor, IWithTimers
{
    private static readonly TimeSpan s_minBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(30);

    private readonly Func<ActorSystem, IJournalEvents> _events;
    private readonly LiveScoringSetup _setup;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IJournalEvents? _source;
    private Tail? _tail;
    private int _generation;
    private readonly HashSet<IActorRef> _subscribers = [];
    private readonly List<IActorRef> _waiting = [];
    private readonly List<(IActorRef Asker, GetRunView Request)> _waitingViews = [];
    private RunProjection _projection;
    private ScoresChanged? _last;
    private long _offset;
    private long _read;
    private long _applied;
    private bool _caughtUp;
    private bool _publishPending;
    private int _failuresInARow;
    private int _restarts;

    /// <summary>Creates the scorer (through <see cref="Props(LiveScoringSetup, string)"/>).</summary>
    public ScorerActor(LiveScoringSetup setup, Func<ActorSystem, IJournalEvents> events)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(events);
        _events = events;
        _setup = setup;
        _projection = new RunProjection(setup);
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for a scorer over the read journal <paramref name="readJournalPluginId"/> of its actor system.</summary>
    /// <param name="setup">What is scored: ruleset, targets, base and held-out workloads, selection rule, planned
    /// studies and trials (<see cref="LiveScoringSetup.FromRules"/> for a built-in rules version).</param>
    /// <param name="readJournalPluginId">The read journal; its serializer must know every event type stored (the
    /// tuner's <c>StudyPlanned</c> too), or the tail stops at the first unreadable event and retries.</param>
    public static Props Props(LiveScoringSetup setup, string readJournalPluginId = ReadJournalEvents.SqlPluginId) =>
        Props(setup, system => new ReadJournalEvents(system, readJournalPluginId));

    /// <summary>Props for a scorer over the events <paramref name="events"/> makes for its actor system.</summary>
    public static Props Props(LiveScoringSetup setup, Func<ActorSystem, IJournalEvents> events) =>
        Akka.Actor.Props.Create(() => new ScorerActor(setup, events));

    /// <inheritdoc />
    protected override void PreStart() => StartTail();

    /// <inheritdoc />
    protected override void PostStop() => _tail?.Switch.Shutdown();

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case TailStarted:
                Sender.Tell(Ack.Instance);
                break;
            case TailEvent e:
                Sender.Tell(Ack.Instance);
                OnEvent(e);
                break;
            case TailCompleted c when c.Generation == _generation && _tail is { Live: false }:
                // The stored events are read: caught up; now follow new ones from here.
                _failuresInARow = 0;
                if (!_caughtUp)
                {
                    _caughtUp = true;
                    SchedulePublish();
                    foreach (var (asker, request) in _waitingViews)
                    {
                        asker.Tell(_projection.View(request.AsOf, request.Live), Self);
                    }

                    _waitingViews.Clear();
                }

                RunTail(live: true);
                break;
            case TailCompleted c when c.Generation == _generation:
                OnTailFailed(new InvalidOperationException("the live journal query ended"));
                break;
            case TailFailed f when f.Generation == _generation:
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
                _subscribers.Remove(t.ActorRef);
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
            case GetRunView v:
                if (_caughtUp)
                {
                    Sender.Tell(_projection.View(v.AsOf, v.Live), Self);
                }
                else
                {
                    _waitingViews.Add((Sender, v));
                }

                break;
            case GetScorerStatus:
                Sender.Tell(new ScorerStatus(_offset, _read, _applied, _caughtUp, _subscribers.Count, _restarts), Self);
                break;
            case RebuildScores:
                _projection = new RunProjection(_setup);
                (_offset, _read, _applied, _caughtUp) = (0, 0, 0, false);
                Timers.Cancel(RestartTail.Key);
                StartTail();
                break;
            case TailCompleted or TailFailed:
                break; // from a tail that was replaced
            default:
                Unhandled(message);
                break;
        }
    }

    private void OnEvent(TailEvent e)
    {
        if (e.Generation != _generation)
        {
            return; // in flight from a replaced tail; the new one reads it again
        }

        _failuresInARow = 0;
        if (e.Envelope.Offset is not Sequence { Value: var offset } || offset <= _offset)
        {
            return;
        }

        _offset = offset;
        _read++;
        if (e.Envelope.Event is IEvent payload && _projection.Apply(payload, new DateTimeOffset(e.Envelope.Timestamp, TimeSpan.Zero)))
        {
            _applied++;
            SchedulePublish();
        }
    }

    private void OnTailFailed(Exception error)
    {
        _tail?.Switch.Shutdown();
        _tail = null;
        _generation++;
        _restarts++;
        var delay = TimeSpan.FromTicks(Math.Min(s_maxBackoff.Ticks, s_minBackoff.Ticks << Math.Min(_failuresInARow, 20)));
        _failuresInARow++;
        _log.Error(error, "scorer: the journal query failed after offset {0}; restarting in {1}", _offset, delay);
        Timers.StartSingleTimer(RestartTail.Key, RestartTail.Instance, delay);
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
        if (ScoreProjection.Differs(_last, _projection.Scores.Snapshot()) is { } next)
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

    /// <summary>Starts reading from the last offset: the stored events first, then the live ones.</summary>
    private void StartTail()
    {
        _source ??= _events(Context.System);
        RunTail(live: false);
    }

    private void RunTail(bool live)
    {
        _tail?.Switch.Shutdown();
        var generation = ++_generation;
        var source = live ? _source!.Live(_offset) : _source!.Current(_offset);
        var sink = Sink.ActorRefWithAck<TailEvent>(
            Self,
            onInitMessage: new TailStarted(generation),
            ackMessage: Ack.Instance,
            onCompleteMessage: new TailCompleted(generation),
            onFailureMessage: e => new TailFailed(generation, e));
        var killSwitch = source
            .Select(e => new TailEvent(generation, e))
            .ViaMaterialized(KillSwitches.Single<TailEvent>(), Keep.Right)
            .To(sink)
            .Run(Context.Materializer());
        _tail = new Tail(live, killSwitch);
    }

    /// <summary>The running query: live or current, and the switch that stops it.</summary>
    private sealed record Tail(bool Live, UniqueKillSwitch Switch);

    private sealed record TailStarted(int Generation);

    private sealed record TailEvent(int Generation, EventEnvelope Envelope);

    private sealed record TailCompleted(int Generation);

    private sealed record TailFailed(int Generation, Exception Error);

    private sealed record Ack
    {
        public static readonly Ack Instance = new();
    }

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
