namespace AlgoPerf.Actors.Internal;

/// <summary>
/// The parent of the two guardians. A guardian that escalates is stopped; when <c>/user</c> has stopped,
/// <c>/system</c> is stopped, and when that has stopped the system is terminated.
/// </summary>
internal sealed class RootSupervisor : IInternalActorRef
{
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RootSupervisor(ActorSystem system)
    {
        System = system;
    }

    public ActorSystem System { get; }

    public string Path => "/";

    public Task Terminated => _terminated.Task;

    public void Tell(object message, IActorRef? sender) => System.DeadLetters.Tell(message, sender);

    public void SendSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case Failed f:
                LogMessages.GuardianEscalated(System.Log, f.Child.Path, f.Cause);
                f.Child.SendSystemMessage(new Terminate());
                break;
            case DeathWatchNotification d when ReferenceEquals(d.Actor, System.UserGuardian):
                System.SystemGuardian.SendSystemMessage(new Terminate());
                break;
            case DeathWatchNotification d when ReferenceEquals(d.Actor, System.SystemGuardian):
                _terminated.TrySetResult();
                break;
        }
    }
}
