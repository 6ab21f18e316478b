namespace AlgoPerf.Actors.Internal;

/// <summary>A temporary watcher for <c>GracefulStop</c>: completes when the watched actor's death arrives.</summary>
internal sealed class StopWatcherRef : IInternalActorRef
{
    private readonly TaskCompletionSource<bool> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StopWatcherRef(ActorSystem system)
    {
        System = system;
    }

    public ActorSystem System { get; }

    public string Path => "/temp/stop-watcher";

    public Task<bool> Stopped => _stopped.Task;

    public void Tell(object message, IActorRef? sender) => System.DeadLetters.Tell(message, sender);

    public void SendSystemMessage(SystemMessage message)
    {
        if (message is DeathWatchNotification)
        {
            _stopped.TrySetResult(true);
        }
    }
}
