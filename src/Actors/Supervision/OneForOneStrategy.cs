using AlgoPerf.Actors.Internal;

namespace AlgoPerf.Actors.Supervision;

/// <summary>Applies the directive to the failed child only.</summary>
public sealed class OneForOneStrategy : SupervisorStrategy
{
    /// <summary>Creates the strategy; see <see cref="SupervisorStrategy"/> for the parameters.</summary>
    public OneForOneStrategy(int maxNrOfRetries = -1, TimeSpan? withinTimeRange = null, Func<Exception, Directive>? decider = null)
        : base(maxNrOfRetries, withinTimeRange, decider)
    {
    }

    internal override void ProcessFailure(ActorCell parent, bool restart, ChildEntry failed, Exception cause, IReadOnlyList<ChildEntry> children)
    {
        if (restart && failed.Stats.RequestRestartPermission(MaxNrOfRetries, WithinTimeRange, parent.System.TimeProvider.GetUtcNow()))
        {
            RestartChild(failed, cause, suspendFirst: false);
        }
        else
        {
            StopChild(parent, failed);
        }
    }
}
