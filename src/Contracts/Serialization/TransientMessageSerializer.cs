using Akka.Actor;
using Akka.Util;
using AlgoPerf.Contracts.Configuration;
using Hyperion;

namespace AlgoPerf.Contracts.Serialization;

/// <summary>
/// Hyperion for the transient messages that cross actor systems (remoting, cluster), bound to <c>System.Object</c> in
/// <c>reference.conf</c>: Akka's surrogates for actor refs, version tolerance, Hyperion's unsafe-type list, and
/// deserialization limited to the product's own types by <see cref="ProductTypeFilter"/>. Persisted events never come
/// here (they have <see cref="EventSerializer"/>).
/// </summary>
/// <remarks>
/// Akka.Serialization.Hyperion 1.5.75's <c>HyperionSerializer</c> takes a type filter in its setup but does not hand it
/// to Hyperion (its options keep <c>DisabledTypeFilter</c>; checked in <c>TransientMessageSerializerTests</c>), so the
/// product builds the Hyperion serializer itself with the same options plus the filter.
/// </remarks>
public sealed class TransientMessageSerializer : Akka.Serialization.Serializer
{
    /// <summary>The serializer's id in Akka's serialization registry.</summary>
    public const int Id = 4712;

    private readonly Hyperion.Serializer _hyperion;

    /// <summary>Created by Akka from the actor system's configuration.</summary>
    public TransientMessageSerializer(ExtendedActorSystem system)
        : base(system)
    {
        ArgumentNullException.ThrowIfNull(system);
        var akkaSurrogate = Surrogate.Create<ISurrogated, ISurrogate>(from => from.ToSurrogate(system), to => to.FromSurrogate(system));
        _hyperion = new Hyperion.Serializer(new SerializerOptions(
            versionTolerance: true,
            preserveObjectReferences: true,
            surrogates: [akkaSurrogate],
            serializerFactories: null,
            knownTypes: null,
            ignoreISerializable: true,
            packageNameOverrides: null,
            disallowUnsafeTypes: true,
            typeFilter: ProductTypeFilter.Instance));
    }

    /// <inheritdoc />
    public override int Identifier => Id;

    /// <inheritdoc />
    public override bool IncludeManifest => false;

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream();
        _hyperion.Serialize(obj, stream);
        return stream.ToArray();
    }

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, Type type)
    {
        using var stream = new MemoryStream(bytes);
        return _hyperion.Deserialize<object>(stream);
    }
}
