namespace AlgoPerf.Actors.Internal;

internal sealed partial class ActorCell
{
    private readonly HashSet<IActorRef> _watching = [];
    private readonly HashSet<IActorRef> _terminatedQueued = [];
    private readonly HashSet<IInternalActorRef> _watchedBy = [];

    public IActorRef Watch(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!ReferenceEquals(actor, Self) && actor is IInternalActorRef target && _watching.Add(actor))
        {
            target.SendSystemMessage(new Watch(target, SelfRef));
        }

        return actor;
    }

    public IActorRef Unwatch(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (_watching.Remove(actor) && actor is IInternalActorRef target)
        {
            target.SendSystemMessage(new Unwatch(target, SelfRef));
        }

        _terminatedQueued.Remove(actor);
        return actor;
    }

    private void AddWatcher(IInternalActorRef watcher)
    {
        _watchedBy.Add(watcher);
    }

    private void WatchedActorTerminated(DeathWatchNotification notification)
    {
        var actor = notification.Actor;
        if (_watching.Contains(actor) && _terminatedQueued.Add(actor))
        {
            SelfRef.Tell(new Terminated(actor, notification.ExistenceConfirmed), actor);
        }

        if (!RemoveChild(actor))
        {
            return;
        }

        _stoppingChildren.Remove(actor);
        if (_terminating)
        {
            if (ChildCount == 0)
            {
                FinishTerminate();
            }
        }
        else if (_pendingRecreate is not null && _stoppingChildren.Count == 0)
        {
            FinishRecreate(_pendingRecreate);
        }
    }

    /// <summary>Tells every watcher and the parent (once each) that this actor stopped; stops own watches.</summary>
    private void NotifyDeath()
    {
        foreach (var watched in _watching)
        {
            if (watched is IInternalActorRef target)
            {
                target.SendSystemMessage(new Unwatch(target, SelfRef));
            }
        }

        _watching.Clear();
        _terminatedQueued.Clear();
        _watchedBy.Add(ParentRef);
        foreach (var watcher in _watchedBy)
        {
            watcher.SendSystemMessage(new DeathWatchNotification(SelfRef, ExistenceConfirmed: true));
        }

        _watchedBy.Clear();
    }
}
