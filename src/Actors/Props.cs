using AlgoPerf.Actors.Supervision;

namespace AlgoPerf.Actors;

/// <summary>
/// How to create an actor: a factory called for the first incarnation and again on every restart (a restart makes a
/// fresh instance), plus the dispatcher it runs on and an optional supervisor strategy for its children.
/// </summary>
public sealed record Props
{
    private Props(Func<ActorBase> factory, Type actorType)
    {
        Factory = factory;
        ActorType = actorType;
    }

    /// <summary>Creates a new actor instance; called once per incarnation.</summary>
    public Func<ActorBase> Factory { get; }

    /// <summary>The actor's type (for names in logs and errors).</summary>
    public Type ActorType { get; }

    /// <summary>The dispatcher id: <see cref="Dispatchers.Default"/> (thread pool) or <see cref="Dispatchers.Pinned"/>.</summary>
    public string Dispatcher { get; init; } = Dispatchers.Default;

    /// <summary>Messages per turn before the actor yields its thread; null uses the system's setting.</summary>
    public int? Throughput { get; init; }

    /// <summary>Overrides the actor's own <see cref="ActorBase.SupervisorStrategy"/> for its children.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; init; }

    /// <summary>Props whose instances come from <paramref name="factory"/>.</summary>
    public static Props Create<T>(Func<T> factory)
        where T : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new Props(factory, typeof(T));
    }

    /// <summary>Props for an actor with a parameterless constructor.</summary>
    public static Props Create<T>()
        where T : ActorBase, new() => new(static () => new T(), typeof(T));

    /// <summary>The same props on another dispatcher.</summary>
    public Props WithDispatcher(string dispatcher) => this with { Dispatcher = dispatcher };

    /// <summary>The same props with a supervisor strategy for the actor's children.</summary>
    public Props WithSupervisorStrategy(SupervisorStrategy strategy) => this with { SupervisorStrategy = strategy };
}
