using AlgoPerf.Contracts.Serialization;
using AlgoPerf.Contracts.Events;

namespace AlgoPerf.Contracts.Tests.Serialization;

/// <summary>A small event for journal tests.</summary>
[EventContract("test-counted", 1)]
public sealed record Counted(string Name, int Value);

/// <summary>A snapshot state for journal tests.</summary>
[EventContract("test-counter-state", 1)]
public sealed record CounterState(int Total);

/// <summary>A type whose shape does not fit <see cref="Counted"/>'s JSON (to fake a corrupt record under the same tag).</summary>
[EventContract("test-counted", 1)]
public sealed record IncompatibleCounted(DateTimeOffset When, IReadOnlyList<int> Items);

/// <summary>A type no serializer registers.</summary>
public sealed record Unregistered(int Value);

/// <summary>Registries for the journal tests.</summary>
public static class TestSerializers
{
    /// <summary>Every contract event plus the test types.</summary>
    public static JsonEventSerializer Default { get; } = new(EventTypeRegistry.ForContracts().Register<Counted>().Register<CounterState>());

    /// <summary>The contract events only: <c>test-counted</c> and <c>test-counter-state</c> are unknown tags to it.</summary>
    public static JsonEventSerializer ContractsOnly { get; } = JsonEventSerializer.ForContracts();

    /// <summary>Reads <c>test-counted</c> as <see cref="IncompatibleCounted"/>: every stored Counted is bad JSON to it.</summary>
    public static JsonEventSerializer Incompatible { get; } = new(EventTypeRegistry.ForContracts().Register<IncompatibleCounted>().Register<CounterState>());
}
