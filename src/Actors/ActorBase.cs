using AlgoPerf.Actors.Internal;
using AlgoPerf.Actors.Supervision;

namespace AlgoPerf.Actors;

/// <summary>
/// Base class of every actor. An actor handles one message at a time in <see cref="OnReceive"/> (or the behavior set
/// by <see cref="IActorContext.Become"/>); it must never block its thread (use the pinned dispatcher for blocking
/// work, or pipe a task's outcome to self). Instances are created only by the system, through <see cref="Props"/>.
/// </summary>
public abstract class ActorBase
{
    private readonly ActorCell _cell;

    /// <summary>Binds the new instance to the cell that is creating it.</summary>
    protected ActorBase()
    {
        _cell = ActorCell.Constructing
            ?? throw new InvalidOperationException($"{GetType().Name} must be created by an actor system through Props, not with 'new'");
    }

    /// <summary>This actor's context (valid on the actor's thread).</summary>
    protected IActorContext Context => _cell;

    /// <summary>This actor.</summary>
    protected IActorRef Self => _cell.Self;

    /// <summary>The sender of the current message (dead letters when none).</summary>
    protected IActorRef Sender => _cell.Sender;

    /// <summary>The stash of this actor.</summary>
    protected IStash Stash => _cell;

    internal ActorCell Cell => _cell;

    internal Action<object> DefaultBehavior => OnReceive;

    internal virtual void AroundPreStart() => PreStart();

    internal virtual void AroundPostStop() => PostStop();

    internal virtual void AroundPreRestart(Exception reason, object? message) => PreRestart(reason, message);

    internal virtual void AroundPostRestart(Exception reason) => PostRestart(reason);

    internal SupervisorStrategy AroundSupervisorStrategy() => SupervisorStrategy();

    /// <summary>The default behavior: handle <paramref name="message"/> or call <see cref="Unhandled"/>.</summary>
    protected abstract void OnReceive(object message);

    /// <summary>Runs before the first message of each incarnation (after a restart via <see cref="PostRestart"/>).</summary>
    protected virtual void PreStart()
    {
    }

    /// <summary>Runs after the actor stopped (children already stopped); also on the old instance of a restart.</summary>
    protected virtual void PostStop()
    {
    }

    /// <summary>Runs on the failed instance before a restart; by default stops all children and calls <see cref="PostStop"/>.</summary>
    /// <param name="reason">The failure.</param>
    /// <param name="message">The message whose handling failed (dropped), or null.</param>
    protected virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in Context.Children)
        {
            Context.Stop(child);
        }

        PostStop();
    }

    /// <summary>Runs on the fresh instance after a restart; by default calls <see cref="PreStart"/>.</summary>
    protected virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>How failures of this actor's children are handled (default: one-for-one with the default decider).</summary>
    protected virtual SupervisorStrategy SupervisorStrategy() => Supervision.SupervisorStrategy.Default;

    /// <summary>
    /// Called for messages the behavior does not handle: a <see cref="Terminated"/> throws
    /// <see cref="DeathPactException"/>, <see cref="StopAfterDrain"/> stops the actor, anything else is published as
    /// <see cref="UnhandledMessage"/>.
    /// </summary>
    protected virtual void Unhandled(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _cell.HandleUnhandled(message);
    }
}
