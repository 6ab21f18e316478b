namespace AlgoPerf.Actors.Internal;

/// <summary>The runtime's view of a ref: it can also take system messages.</summary>
internal interface IInternalActorRef : IActorRef
{
    /// <summary>Enqueues a system message (or handles it as dead when the actor is gone).</summary>
    /// <summary>The system this ref belongs to (its clock and dead letters).</summary>
    ActorSystem System { get; }

    void SendSystemMessage(SystemMessage message);
}

/// <summary>Messages the cell handles itself before (or instead of) the behavior.</summary>
internal interface IAutoReceivedMessage;
