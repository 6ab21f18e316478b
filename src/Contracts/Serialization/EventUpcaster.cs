using System.Text.Json.Nodes;

namespace AlgoPerf.Contracts.Serialization;

/// <summary>
/// Rewrites the JSON of one stored schema version into the next version's shape (version n to n + 1). Registered
/// per (tag, from-version) in an <see cref="EventTypeRegistry"/>; a chain of them brings any old record to the
/// current version on read. Stored records are never rewritten.
/// </summary>
/// <param name="json">The payload in version n's shape (may be mutated and returned).</param>
/// <returns>The payload in version n + 1's shape.</returns>
public delegate JsonNode EventUpcaster(JsonNode json);
