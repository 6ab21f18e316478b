using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace AlgoPerf.Contracts.Serialization;

/// <summary>
/// <see cref="IEventSerializer"/> over System.Text.Json: camelCase properties, enums as strings, named floating-point
/// literals (so <see cref="double.PositiveInfinity"/> round-trips), required constructor parameters and nullable
/// annotations enforced on read (a record missing a field is corrupt, not silently defaulted).
/// </summary>
public sealed class JsonEventSerializer : IEventSerializer
{
    private readonly FrozenDictionary<string, EventTypeInfo> _byTag;
    private readonly FrozenDictionary<Type, EventTypeInfo> _byType;
    private readonly FrozenDictionary<(string Tag, int FromVersion), EventUpcaster> _upcasters;
    private readonly FrozenDictionary<Type, JsonTypeInfo> _typeInfos;

    /// <summary>Creates a serializer over a snapshot of <paramref name="registry"/>.</summary>
    /// <param name="registry">The registered types and upcasters.</param>
    public JsonEventSerializer(EventTypeRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _byTag = registry.Types.ToFrozenDictionary(t => t.Tag, StringComparer.Ordinal);
        _byType = registry.Types.ToFrozenDictionary(t => t.Type);
        _upcasters = registry.Upcasters.ToFrozenDictionary();
        _typeInfos = registry.Types.ToFrozenDictionary(t => t.Type, t => Options.GetTypeInfo(t.Type));
    }

    /// <summary>The JSON options every payload uses.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>A serializer for every event type of <c>AlgoPerf.Contracts</c>.</summary>
    /// <returns>The serializer.</returns>
    public static JsonEventSerializer ForContracts() => new(EventTypeRegistry.ForContracts());

    /// <inheritdoc />
    public SerializedPayload Serialize(object payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (!_byType.TryGetValue(payload.GetType(), out var info))
        {
            throw new NotSupportedException($"type {payload.GetType().FullName} is not a registered event type (register it with [EventContract] in the EventTypeRegistry)");
        }

        return new SerializedPayload(info.Tag, info.Version, JsonSerializer.SerializeToUtf8Bytes(payload, _typeInfos[info.Type]));
    }

    /// <inheritdoc />
    public object Deserialize(string typeTag, int typeVersion, ReadOnlySpan<byte> utf8Json)
    {
        ArgumentNullException.ThrowIfNull(typeTag);
        if (!_byTag.TryGetValue(typeTag, out var info))
        {
            throw new InvalidDataException($"unknown event tag '{typeTag}'");
        }

        if (typeVersion > info.Version || typeVersion < 1)
        {
            throw new InvalidDataException($"event tag '{typeTag}' version {typeVersion} is not readable (current version {info.Version})");
        }

        try
        {
            if (typeVersion == info.Version)
            {
                return JsonSerializer.Deserialize(utf8Json, _typeInfos[info.Type])
                    ?? throw new InvalidDataException("payload is JSON null");
            }

            var node = JsonNode.Parse(utf8Json) ?? throw new InvalidDataException("payload is JSON null");
            for (var version = typeVersion; version < info.Version; version++)
            {
                if (!_upcasters.TryGetValue((typeTag, version), out var upcast))
                {
                    throw new InvalidDataException($"no upcaster for event tag '{typeTag}' from version {version} to {version + 1}");
                }

                node = upcast(node);
            }

            return node.Deserialize(_typeInfos[info.Type]) ?? throw new InvalidDataException("payload is JSON null");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"bad JSON for {info.Type.Name}: {ex.Message}", ex);
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            WriteIndented = false,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
