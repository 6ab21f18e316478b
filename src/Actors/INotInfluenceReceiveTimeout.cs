namespace AlgoPerf.Actors;

/// <summary>Marks messages that do not reset the receiver's receive timeout (e.g. periodic ticks).</summary>
#pragma warning disable CA1040 // A marker interface is the Akka contract: messages opt out by type.
public interface INotInfluenceReceiveTimeout;
#pragma warning restore CA1040
