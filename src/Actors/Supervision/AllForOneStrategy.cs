using AlgoPerf.Actors.Internal;

namespace AlgoPerf.Actors.Supervision;

/// <summary>Applies Restart or Stop to all children when one fails (Resume applies to the failed child only).</summary>
public sealed class AllForOneStrategy : SupervisorStrategy
{
    /// <summary>Creates the strategy; see <see cref="SupervisorStrategy"/> for the parameters.</summary>
    public AllForOneStrategy(int maxNrOfRetries = -1, TimeSpan? withinTimeRange = null, Func<Exception, Directive>? decider = null)
        : base(maxNrOfRetries, withinTimeRange, decider)
    {
    }

    internal override void ProcessFailure(ActorCell parent, bool restart, ChildEntry failed, Exception cause, IReadOnlyList<ChildEntry> children)
    {
        var now = parent.System.TimeProvider.GetUtcNow();
        var allowed = restart;
        foreach (var child in children)
        {
            allowed &= child.Stats.RequestRestartPermission(MaxNrOfRetries, WithinTimeRange, now);
        }

        foreach (var child in children)
        {
            if (allowed)
            {
                RestartChild(child, cause, suspendFirst: !ReferenceEquals(child, failed));
            }
            else
            {
                StopChild(parent, child);
            }
        }
    }
}
