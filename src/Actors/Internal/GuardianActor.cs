namespace AlgoPerf.Actors.Internal;

/// <summary>The parent of top-level actors (<c>/user</c>) and of the runtime's own (<c>/system</c>).</summary>
internal sealed class GuardianActor : ActorBase
{
    protected override void OnReceive(object message) => Unhandled(message);
}
