namespace AlgoPerf.Contracts.Serialization;

/// <summary>
/// Turns events and snapshots into (type tag, schema version, UTF-8 JSON) and back. The wire identity is the
/// <see cref="AlgoPerf.Contracts.Events.EventContractAttribute"/> tag and version of an explicitly registered type,
/// never a CLR type name, so types can be renamed or moved without breaking stored data.
/// </summary>
public interface IEventSerializer
{
    /// <summary>Serializes a payload of a registered type.</summary>
    /// <param name="payload">The event or snapshot.</param>
    /// <returns>Its tag, current version and JSON.</returns>
    /// <exception cref="NotSupportedException">The payload's type is not registered. The journal turns this and any
    /// other serialization error into a <c>JournalRejectedException</c>.</exception>
    SerializedPayload Serialize(object payload);

    /// <summary>
    /// Deserializes a stored payload, first upcasting the JSON from <paramref name="typeVersion"/> to the registered
    /// type's current version through the registered upcasters.
    /// </summary>
    /// <param name="typeTag">The stored tag.</param>
    /// <param name="typeVersion">The stored version.</param>
    /// <param name="utf8Json">The stored JSON.</param>
    /// <returns>The payload.</returns>
    /// <exception cref="InvalidDataException">Unknown tag, a version with no upcaster path, or JSON that does not fit
    /// the type (the journal wraps it into a <c>JournalCorruptEventException</c> naming the record).</exception>
    object Deserialize(string typeTag, int typeVersion, ReadOnlySpan<byte> utf8Json);
}
