using System.Reflection;
using AlgoPerf.Contracts.Events;

namespace AlgoPerf.Contracts.Serialization;

/// <summary>
/// The explicit list of payload types a journal may store, each with its tag and current version from its
/// <see cref="EventContractAttribute"/>, plus the upcasters from older versions. Build it once at start-up and hand
/// it to <see cref="JsonEventSerializer"/>, which copies it (later changes to the registry do not affect it).
/// </summary>
public sealed class EventTypeRegistry
{
    private readonly Dictionary<string, EventTypeInfo> _byTag = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, EventTypeInfo> _byType = [];
    private readonly Dictionary<(string Tag, int FromVersion), EventUpcaster> _upcasters = [];

    /// <summary>A registry holding every <see cref="EventContractAttribute"/> type of <c>AlgoPerf.Contracts</c>, with the upcasters of their older versions.</summary>
    /// <returns>The registry.</returns>
    public static EventTypeRegistry ForContracts() => new EventTypeRegistry()
        .RegisterContractsFrom(typeof(IEvent).Assembly)

        // run-session-started/1 predates data-parallel gangs: its sessions ran every trial on one device.
        .AddUpcaster("run-session-started", 1, json =>
        {
            json.AsObject()["devicesPerTrial"] = 1;
            return json;
        })

        // trial-started/1 predates numbered attempts (cluster mode's fencing token): attempt 0, before any numbered one.
        .AddUpcaster("trial-started", 1, json =>
        {
            json.AsObject()["attempt"] = 0;
            return json;
        });

    /// <summary>The registered types.</summary>
    public IReadOnlyCollection<EventTypeInfo> Types => _byType.Values;

    /// <summary>The registered upcasters, by (tag, from-version).</summary>
    public IReadOnlyDictionary<(string Tag, int FromVersion), EventUpcaster> Upcasters => _upcasters;

    /// <summary>Registers <typeparamref name="T"/>, which must carry an <see cref="EventContractAttribute"/>.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <returns>This registry.</returns>
    public EventTypeRegistry Register<T>()
        where T : class => Register(typeof(T));

    /// <summary>Registers a type, which must carry an <see cref="EventContractAttribute"/>.</summary>
    /// <param name="type">The payload type.</param>
    /// <returns>This registry.</returns>
    /// <exception cref="ArgumentException">No attribute, a bad tag or version, or a tag already taken by another type.</exception>
    public EventTypeRegistry Register(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var contract = type.GetCustomAttribute<EventContractAttribute>()
            ?? throw new ArgumentException($"type {type.FullName} has no [EventContract(tag, version)] attribute", nameof(type));
        if (string.IsNullOrWhiteSpace(contract.Tag) || contract.Version < 1)
        {
            throw new ArgumentException($"type {type.FullName}: [EventContract] needs a non-empty tag and a version >= 1", nameof(type));
        }

        if (_byTag.TryGetValue(contract.Tag, out var existing))
        {
            if (existing.Type == type)
            {
                return this;
            }

            throw new ArgumentException($"event tag '{contract.Tag}' is registered twice: {existing.Type.FullName} and {type.FullName}", nameof(type));
        }

        var info = new EventTypeInfo(type, contract.Tag, contract.Version);
        _byTag.Add(info.Tag, info);
        _byType.Add(type, info);
        return this;
    }

    /// <summary>Registers every non-abstract class of an assembly that carries an <see cref="EventContractAttribute"/>.</summary>
    /// <param name="assembly">The assembly.</param>
    /// <returns>This registry.</returns>
    public EventTypeRegistry RegisterContractsFrom(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        foreach (var type in assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && t.IsDefined(typeof(EventContractAttribute), false)).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            Register(type);
        }

        return this;
    }

    /// <summary>Adds the upcaster that turns version <paramref name="fromVersion"/> of <paramref name="tag"/> into version <paramref name="fromVersion"/> + 1.</summary>
    /// <param name="tag">The type tag.</param>
    /// <param name="fromVersion">The version it reads.</param>
    /// <param name="upcaster">The rewrite.</param>
    /// <returns>This registry.</returns>
    /// <exception cref="ArgumentException">An upcaster for (tag, fromVersion) already exists.</exception>
    public EventTypeRegistry AddUpcaster(string tag, int fromVersion, EventUpcaster upcaster)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        ArgumentNullException.ThrowIfNull(upcaster);
        ArgumentOutOfRangeException.ThrowIfLessThan(fromVersion, 1);
        if (!_upcasters.TryAdd((tag, fromVersion), upcaster))
        {
            throw new ArgumentException($"an upcaster for event tag '{tag}' from version {fromVersion} is already registered", nameof(fromVersion));
        }

        return this;
    }
}
