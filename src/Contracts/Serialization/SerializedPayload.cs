namespace AlgoPerf.Contracts.Serialization;

/// <summary>A serialized event or snapshot as stored.</summary>
/// <param name="TypeTag">The type tag.</param>
/// <param name="TypeVersion">The schema version.</param>
/// <param name="Utf8Json">The JSON, UTF-8 encoded.</param>
public sealed record SerializedPayload(string TypeTag, int TypeVersion, byte[] Utf8Json);
