using AlgoPerf.Actors.Supervision;
using Microsoft.Extensions.Logging;

namespace AlgoPerf.Actors.Internal;

/// <summary>
/// The runtime state of one actor across its incarnations: mailbox, behavior stack, children, watches, stash,
/// timers. Everything here runs on the actor's turn (one thread at a time), except the children map, which the
/// guardian shares with <see cref="ActorSystem.ActorOf"/> callers under a lock.
/// </summary>
internal sealed partial class ActorCell : IActorContext
{
    [ThreadStatic]
    private static ActorCell? t_current;

    [ThreadStatic]
    private static ActorCell? t_constructing;

    private readonly List<Action<object>> _behaviors = [];
    private Action<object> _behavior;
    private ActorBase? _actor;
    private Persistence.PersistentActor? _persistent;
    private Envelope _current;
    private ILogger? _log;

    public ActorCell(ActorSystem system, Props props, IInternalActorRef parent, string path, MessageDispatcher dispatcher, int throughput)
    {
        System = system;
        Props = props;
        ParentRef = parent;
        Uid = Interlocked.Increment(ref s_uid);
        Mailbox = new Mailbox(dispatcher, throughput) { Cell = this };
        SelfRef = new LocalActorRef(this, path);
        _behavior = static _ => { };
    }

    private static long s_uid;

    /// <summary>The cell whose turn runs on this thread (for the implicit sender of <c>Tell</c>).</summary>
    public static ActorCell? Current
    {
        get => t_current;
        set => t_current = value;
    }

    /// <summary>The cell whose actor constructor runs on this thread.</summary>
    public static ActorCell? Constructing => t_constructing;

    public ActorSystem System { get; }

    public Props Props { get; }

    public IInternalActorRef ParentRef { get; }

    public LocalActorRef SelfRef { get; }

    public Mailbox Mailbox { get; }

    public long Uid { get; }

    public IActorRef Self => SelfRef;

    public IActorRef Sender => _current.Sender ?? System.DeadLetters;

    public IActorRef Parent => ParentRef;

    public ILogger Log => _log ??= System.LoggerFactory.CreateLogger(Props.ActorType.FullName ?? Props.ActorType.Name);

    /// <summary>Starts the actor: its first system message creates the instance.</summary>
    public void Start() => SelfRef.SendSystemMessage(new CreateActor());

    public void Become(Action<object> behavior, bool discardOld = true)
    {
        ArgumentNullException.ThrowIfNull(behavior);
        if (discardOld && _behaviors.Count > 0)
        {
            _behaviors.RemoveAt(_behaviors.Count - 1);
        }

        _behaviors.Add(behavior);
        _behavior = behavior;
    }

    public void Unbecome()
    {
        if (_behaviors.Count > 1)
        {
            _behaviors.RemoveAt(_behaviors.Count - 1);
        }

        _behavior = _behaviors[^1];
    }

    /// <summary>Handles one user message.</summary>
    public void Invoke(Envelope envelope)
    {
        _current = envelope;
        try
        {
            var message = envelope.Message;
            if (message is IAutoReceivedMessage)
            {
                if (!AutoReceive(ref message))
                {
                    return;
                }
            }

            if (_persistent is not null && _persistent.InterceptReceive(message))
            {
                return;
            }

            if (_receiveTimeout is null)
            {
                _behavior(message);
            }
            else
            {
                var influences = message is not INotInfluenceReceiveTimeout;
                _behavior(message);
                if (influences)
                {
                    RestartReceiveTimeout();
                }
            }
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e);
        }
        finally
        {
            _current = default;
        }
    }

    /// <summary>Handles runtime messages; returns true when <paramref name="message"/> (maybe unwrapped) goes to the behavior.</summary>
    private bool AutoReceive(ref object message)
    {
        switch (message)
        {
            case TimerMessage timer:
                if (_timers is null || !_timers.Accept(timer))
                {
                    return false;
                }

                message = timer.Message;
                _current = new Envelope(message, _current.Sender);
                return true;
            case ReceiveTimeoutTick tick:
                if (tick.Generation != _receiveTimeoutGeneration || _receiveTimeout is null)
                {
                    return false;
                }

                message = Actors.ReceiveTimeout.Instance;
                _current = new Envelope(message, null);
                return true;
            case Terminated terminated:
                _terminatedQueued.Remove(terminated.Actor);
                return _watching.Remove(terminated.Actor);
            case PoisonPill:
                Stop(Self);
                return false;
            case Kill:
                throw new ActorKilledException("Kill");
            default:
                return true;
        }
    }

    /// <summary>Handles one system message.</summary>
    public void SystemInvoke(SystemMessage message)
    {
        try
        {
            switch (message)
            {
                case CreateActor:
                    Create();
                    break;
                case Recreate r:
                    FaultRecreate(r.Cause);
                    break;
                case Suspend:
                    Mailbox.SuspendCount++;
                    SendToChildren(static () => new Suspend());
                    break;
                case Resume r:
                    FaultResume(r.CausedByFailure);
                    break;
                case Terminate:
                    BeginTerminate();
                    break;
                case Watch w:
                    AddWatcher(w.Watcher);
                    break;
                case Unwatch u:
                    _watchedBy.Remove(u.Watcher);
                    break;
                case DeathWatchNotification d:
                    WatchedActorTerminated(d);
                    break;
                case Failed f:
                    HandleFailed(f);
                    break;
            }
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e);
        }
    }

    /// <summary>
    /// A persistent actor's journal write still in flight when its incarnation was restarted: the next incarnation's
    /// recovery waits for it, so it replays what landed instead of racing it.
    /// </summary>
    public Task? PendingJournalWrite { get; set; }

    /// <summary>The message being handled with its sender (default outside a turn).</summary>
    public Envelope CurrentEnvelope => _current;

    /// <summary>Replaces the sender of the current message (persistent actors run persist handlers with the command's sender).</summary>
    public void SetCurrentSender(IActorRef? sender) => _current = new Envelope(_current.Message, sender);

    /// <summary>What <see cref="ActorBase.Unhandled"/> does.</summary>
    public void HandleUnhandled(object message)
    {
        switch (message)
        {
            case Terminated t:
                throw new DeathPactException($"{Self.Path} did not handle Terminated of {t.Actor.Path}");
            case StopAfterDrain:
                Stop(Self);
                break;
            default:
                System.PublishUnhandled(new UnhandledMessage(message, _current.Sender, Self));
                break;
        }
    }

    private ActorBase NewInstance()
    {
        var previous = t_constructing;
        t_constructing = this;
        try
        {
            var actor = Props.Factory();
            if (!ReferenceEquals(actor.Cell, this))
            {
                throw new InvalidOperationException($"the factory of {Props.ActorType.Name} must create a new instance each call");
            }

            return actor;
        }
        finally
        {
            t_constructing = previous;
        }
    }

    private void UseInstance(ActorBase actor)
    {
        _actor = actor;
        _persistent = actor as Persistence.PersistentActor;
        _behaviors.Clear();
        _behavior = actor.DefaultBehavior;
        _behaviors.Add(_behavior);
    }

    private void Create()
    {
        try
        {
            UseInstance(NewInstance());
            _actor!.AroundPreStart();
        }
        catch (Exception e)
        {
            _actor = null;
            HandleInvokeFailure(new ActorInitializationException($"{Self.Path}: creation of {Props.ActorType.Name} failed: {e.Message}", e));
        }
    }

    private SupervisorStrategy Strategy => Props.SupervisorStrategy ?? _actor?.AroundSupervisorStrategy() ?? SupervisorStrategy.Default;

    public override string ToString() => Self.Path;
}
