namespace AlgoPerf.Actors;

/// <summary>Makes the receiving actor fail with <see cref="ActorKilledException"/> (the default decider stops it).</summary>
public sealed class Kill : Internal.IAutoReceivedMessage
{
    private Kill()
    {
    }

    /// <summary>The single instance.</summary>
    public static Kill Instance { get; } = new();
}
