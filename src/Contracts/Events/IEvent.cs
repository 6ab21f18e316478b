namespace AlgoPerf.Contracts.Events;

/// <summary>Marker for persisted events. Every implementation is a <c>sealed record</c> with an <see cref="EventContractAttribute"/>.</summary>
public interface IEvent;
