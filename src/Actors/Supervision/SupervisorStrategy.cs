using AlgoPerf.Actors.Internal;
using Microsoft.Extensions.Logging;

namespace AlgoPerf.Actors.Supervision;

/// <summary>
/// Decides what happens to a failed child. <see cref="Default"/> is Akka's: one-for-one, restart on any exception,
/// stop on <see cref="ActorInitializationException"/>, <see cref="ActorKilledException"/> and
/// <see cref="DeathPactException"/>, without a retry limit.
/// </summary>
public abstract class SupervisorStrategy
{
    /// <summary>Creates a strategy.</summary>
    /// <param name="maxNrOfRetries">Restarts allowed within <paramref name="withinTimeRange"/> (-1: unlimited); beyond, the child is stopped.</param>
    /// <param name="withinTimeRange">The retry window (null: forever).</param>
    /// <param name="decider">Maps an exception to a directive (null: <see cref="DefaultDecider"/>).</param>
    protected SupervisorStrategy(int maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive>? decider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNrOfRetries, -1);
        MaxNrOfRetries = maxNrOfRetries;
        WithinTimeRange = withinTimeRange;
        Decider = decider ?? DefaultDecider;
    }

    /// <summary>The default strategy (one-for-one, default decider, no retry limit).</summary>
    public static SupervisorStrategy Default { get; } = new OneForOneStrategy();

    /// <summary>Restarts allowed within the window; -1 for unlimited.</summary>
    public int MaxNrOfRetries { get; }

    /// <summary>The retry window; null for forever.</summary>
    public TimeSpan? WithinTimeRange { get; }

    /// <summary>Maps a failure to a directive.</summary>
    public Func<Exception, Directive> Decider { get; }

    /// <summary>Akka's default decider.</summary>
    public static Directive DefaultDecider(Exception exception) => exception switch
    {
        ActorInitializationException or ActorKilledException or DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    };

    internal Directive Decide(Exception cause) => Decider(cause);

    /// <summary>Applies <paramref name="directive"/>; false means escalate.</summary>
    internal bool HandleFailure(ActorCell parent, ChildEntry failed, Exception cause, Directive directive, IReadOnlyList<ChildEntry> children)
    {
        switch (directive)
        {
            case Directive.Resume:
                failed.Ref.SendSystemMessage(new Resume(cause));
                return true;
            case Directive.Restart:
                ProcessFailure(parent, restart: true, failed, cause, children);
                return true;
            case Directive.Stop:
                ProcessFailure(parent, restart: false, failed, cause, children);
                return true;
            default:
                return false;
        }
    }

    internal abstract void ProcessFailure(ActorCell parent, bool restart, ChildEntry failed, Exception cause, IReadOnlyList<ChildEntry> children);

    internal void LogFailure(ILogger log, IActorRef child, Exception cause, Directive directive)
    {
        if (directive == Directive.Resume)
        {
            LogMessages.ChildResumed(log, child.Path, cause);
        }
        else
        {
            LogMessages.ChildFailed(log, child.Path, directive, cause);
        }
    }

    private protected static void RestartChild(ChildEntry child, Exception cause, bool suspendFirst)
    {
        if (suspendFirst)
        {
            child.Ref.SendSystemMessage(new Suspend());
        }

        child.Ref.SendSystemMessage(new Recreate(cause));
    }

    private protected static void StopChild(ActorCell parent, ChildEntry child) => parent.Stop(child.Ref);
}
