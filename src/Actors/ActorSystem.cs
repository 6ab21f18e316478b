using AlgoPerf.Actors.Internal;
using AlgoPerf.Actors.Shutdown;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AlgoPerf.Actors;

/// <summary>
/// A hierarchy of actors sharing a clock, dispatchers, dead letters and an event stream. Top-level actors live
/// under <c>/user</c>. All time (timers, receive timeouts, ask timeouts, back-off, shutdown phases) comes from
/// <see cref="TimeProvider"/>, so tests can run it on fake time.
/// </summary>
public sealed class ActorSystem : IAsyncDisposable
{
    private readonly RootSupervisor _root;
    private readonly Lazy<CoordinatedShutdown> _shutdown;
    private long _deadLetters;

    private ActorSystem(string name, ActorSystemSettings settings, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        Name = name;
        Settings = settings;
        TimeProvider = timeProvider;
        LoggerFactory = loggerFactory;
        Log = loggerFactory.CreateLogger("AlgoPerf.Actors.ActorSystem");
        DeadLetters = new DeadLetterActorRef(this);
        _root = new RootSupervisor(this);
        var user = NewCell(Props.Create<GuardianActor>(), _root, "/user");
        var system = NewCell(Props.Create<GuardianActor>(), _root, "/system");
        UserGuardianCell = user;
        SystemGuardianCell = system;
        user.Start();
        system.Start();
        _shutdown = new Lazy<CoordinatedShutdown>(() => new CoordinatedShutdown(this), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The system's name (in logs).</summary>
    public string Name { get; }

    /// <summary>The validated settings.</summary>
    public ActorSystemSettings Settings { get; }

    /// <summary>The clock of every timer in this system.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Creates the actors' loggers.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>Where undeliverable messages go.</summary>
    public IActorRef DeadLetters { get; }

    /// <summary>Runtime events (dead letters, unhandled messages) and anything published by actors.</summary>
    public EventStream EventStream { get; } = new();

    /// <summary>Messages that reached dead letters so far (a metric).</summary>
    public long DeadLetterCount => Interlocked.Read(ref _deadLetters);

    /// <summary>The phased shutdown of this system.</summary>
    public CoordinatedShutdown CoordinatedShutdown => _shutdown.Value;

    /// <summary>Completes when every actor (both guardians) has stopped.</summary>
    public Task WhenTerminated => _root.Terminated;

    internal ILogger Log { get; }

    internal ActorCell UserGuardianCell { get; }

    internal ActorCell SystemGuardianCell { get; }

    internal IInternalActorRef UserGuardian => UserGuardianCell.SelfRef;

    internal IInternalActorRef SystemGuardian => SystemGuardianCell.SelfRef;

    /// <summary>Starts a system; <paramref name="settings"/> are validated here (bad settings fail at start-up).</summary>
    public static ActorSystem Create(string name, ActorSystemSettings? settings = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new ActorSystem(name, (settings ?? ActorSystemSettings.Default).Validate(), timeProvider ?? TimeProvider.System, loggerFactory ?? NullLoggerFactory.Instance);
    }

    /// <summary>Creates a top-level actor (under <c>/user</c>).</summary>
    public IActorRef ActorOf(Props props, string? name = null) => UserGuardianCell.ActorOf(props, name);

    /// <summary>Creates a runtime actor (under <c>/system</c>).</summary>
    internal IActorRef SystemActorOf(Props props, string? name = null) => SystemGuardianCell.ActorOf(props, name);

    /// <summary>Stops <paramref name="actor"/> after its current message (its children first).</summary>
    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        (actor as IInternalActorRef)?.SendSystemMessage(new Terminate());
    }

    /// <summary>Stops all actors (user actors first, then the runtime's) and completes when they have stopped.</summary>
    public Task Terminate()
    {
        UserGuardian.SendSystemMessage(new Terminate());
        return WhenTerminated;
    }

    /// <summary>Terminates the system.</summary>
    public async ValueTask DisposeAsync() => await Terminate().ConfigureAwait(false);

    internal ActorCell NewCell(Props props, IInternalActorRef parent, string path)
    {
        MessageDispatcher dispatcher = props.Dispatcher switch
        {
            Dispatchers.Default => ThreadPoolDispatcher.Instance,
            Dispatchers.Pinned => new PinnedDispatcher(path),
            _ => throw new ArgumentException($"unknown dispatcher '{props.Dispatcher}' for {path}; use {Dispatchers.Default} or {Dispatchers.Pinned}", nameof(props)),
        };
        return new ActorCell(this, props, parent, path, dispatcher, props.Throughput ?? Settings.Throughput);
    }

    internal void PublishDeadLetter(object message, IActorRef? sender, IActorRef recipient)
    {
        var count = Interlocked.Increment(ref _deadLetters);
        var limit = Settings.LogDeadLetters;
        if (count <= limit)
        {
            LogMessages.DeadLetter(Log, message.GetType().Name, sender?.Path ?? "no sender", recipient.Path, count);
            if (count == limit)
            {
                LogMessages.DeadLetterLimit(Log, limit);
            }
        }

        if (EventStream.HasSubscribers && message is not DeadLetter)
        {
            EventStream.Publish(new DeadLetter(message, sender, recipient));
        }
    }

    internal void PublishUnhandled(UnhandledMessage unhandled)
    {
        LogMessages.Unhandled(Log, unhandled.Message.GetType().Name, unhandled.Sender?.Path ?? "no sender", unhandled.Recipient.Path);
        if (EventStream.HasSubscribers)
        {
            EventStream.Publish(unhandled);
        }
    }

    /// <summary>A system message for an actor that is gone: a watch is answered at once with its death.</summary>
    internal void HandleDeadSystemMessage(IInternalActorRef deadActor, SystemMessage message)
    {
        if (message is Watch w && !ReferenceEquals(w.Watcher, deadActor))
        {
            w.Watcher.SendSystemMessage(new DeathWatchNotification(deadActor, ExistenceConfirmed: deadActor is LocalActorRef));
        }
    }
}
