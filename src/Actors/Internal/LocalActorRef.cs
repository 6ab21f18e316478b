namespace AlgoPerf.Actors.Internal;

/// <summary>The ref of an actor of this process; one per actor (kept across restarts).</summary>
internal sealed class LocalActorRef : IInternalActorRef
{
    public LocalActorRef(ActorCell cell, string path)
    {
        Cell = cell;
        Path = path;
    }

    public ActorCell Cell { get; }

    public ActorSystem System => Cell.System;

    public string Path { get; }

    public void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        Cell.Mailbox.Post(new Envelope(message, sender));
    }

    public void SendSystemMessage(SystemMessage message)
    {
        if (!Cell.Mailbox.TryPostSystem(message))
        {
            Cell.System.HandleDeadSystemMessage(this, message);
        }
    }

    public override string ToString() => Path;
}
