using System.Collections.Frozen;
using System.Reflection;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using AlgoPerf.Contracts.Events;

namespace AlgoPerf.Contracts.Serialization;

/// <summary>
/// Akka serializer of the persisted events (bound to <see cref="IEvent"/> in <c>hocon/reference.conf</c>): the string
/// manifest is the event's contract, <c>tag/vN</c> from its <see cref="EventContractAttribute"/>, and the payload is
/// the <see cref="JsonEventSerializer"/>'s System.Text.Json. Stored rows therefore carry no CLR type name, so event
/// types can be renamed or moved; a changed shape gets a new version and an upcaster.
/// </summary>
/// <remarks>
/// Akka creates it by reflection with the actor system. The registered types are every
/// <see cref="EventContractAttribute"/> type of the assemblies listed in <c>algoperf.serialization.event-assemblies</c>.
/// An unknown manifest or a payload that does not parse throws <see cref="SerializationException"/>, which fails the
/// recovery of the stream that holds it (the actor stops and nothing stored is changed).
/// </remarks>
public sealed class EventSerializer : SerializerWithStringManifest
{
    /// <summary>The serializer's id in Akka's serialization registry (stored with every event; never change it).</summary>
    public const int Id = 4711;

    /// <summary>The configuration path of the list of assemblies whose event contracts are registered.</summary>
    public const string AssembliesPath = "algoperf.serialization.event-assemblies";

    private readonly JsonEventSerializer _json;
    private readonly FrozenDictionary<Type, string> _manifests;
    private readonly FrozenDictionary<string, (string Tag, int Version)> _contracts;

    /// <summary>Created by Akka from the actor system's configuration.</summary>
    public EventSerializer(ExtendedActorSystem system)
        : base(system)
    {
        ArgumentNullException.ThrowIfNull(system);
        var names = system.Settings.Config.GetStringList(AssembliesPath, []);
        var registry = EventTypeRegistry.ForContracts();
        foreach (var name in names)
        {
            registry.RegisterContractsFrom(Assembly.Load(name));
        }

        _json = new JsonEventSerializer(registry);
        _manifests = registry.Types.ToFrozenDictionary(t => t.Type, t => ManifestOf(t.Tag, t.Version));
        _contracts = registry.Types.ToFrozenDictionary(t => ManifestOf(t.Tag, t.Version), t => (t.Tag, t.Version), StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public override int Identifier => Id;

    /// <summary>The manifest of a contract: <c>tag/vN</c>.</summary>
    public static string ManifestOf(string tag, int version) => $"{tag}/v{version}";

    /// <inheritdoc />
    public override string Manifest(object o)
    {
        ArgumentNullException.ThrowIfNull(o);
        // Looked up, not read from the attribute: Akka asks for every event written (reflection cost about as much as
        // the JSON itself in `bench journal`).
        return _manifests.TryGetValue(o.GetType(), out var manifest) ? manifest
            : throw new SerializationException($"type {o.GetType().FullName} is not a registered event type (register it with [EventContract] in the EventTypeRegistry)");
    }

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        try
        {
            return _json.Serialize(obj).Utf8Json;
        }
        catch (NotSupportedException e)
        {
            throw new SerializationException(e.Message, e);
        }
    }

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(manifest);
        // Current contracts are looked up (recovery reads every stored event); older versions and unknown tags are
        // parsed, so the JSON serializer upcasts the former and names the latter.
        if (!_contracts.TryGetValue(manifest, out var contract))
        {
            var slash = manifest.LastIndexOf("/v", StringComparison.Ordinal);
            if (slash <= 0 || !int.TryParse(manifest.AsSpan(slash + 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version))
            {
                throw new SerializationException($"event manifest '{manifest}' is not a contract (tag/vN)");
            }

            contract = (manifest[..slash], version);
        }

        try
        {
            return _json.Deserialize(contract.Tag, contract.Version, bytes);
        }
        catch (InvalidDataException e)
        {
            throw new SerializationException($"event {manifest}: {e.Message}", e);
        }
    }
}
