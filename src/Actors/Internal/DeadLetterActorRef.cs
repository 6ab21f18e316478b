namespace AlgoPerf.Actors.Internal;

/// <summary>The sink for undeliverable messages: counts, logs (up to a limit) and publishes them.</summary>
internal sealed class DeadLetterActorRef : IInternalActorRef
{
    public DeadLetterActorRef(ActorSystem system)
    {
        System = system;
    }

    public ActorSystem System { get; }

    public string Path => "/deadLetters";

    public void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        System.PublishDeadLetter(message, sender, this);
    }

    public void SendSystemMessage(SystemMessage message) => System.HandleDeadSystemMessage(this, message);

    public override string ToString() => Path;
}
