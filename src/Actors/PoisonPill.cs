namespace AlgoPerf.Actors;

/// <summary>Stops the receiving actor when it reaches the head of the mailbox (after the messages before it).</summary>
public sealed class PoisonPill : Internal.IAutoReceivedMessage
{
    private PoisonPill()
    {
    }

    /// <summary>The single instance.</summary>
    public static PoisonPill Instance { get; } = new();
}
