using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Serialization;

namespace AlgoPerf.Contracts.Tests.Serialization;

public sealed class EventSerializerTests() : Akka.TestKit.Xunit2.TestKit(
    Akka.Configuration.ConfigurationFactory.ParseString("algoperf.serialization.event-assemblies = []").WithFallback(AlgoPerfConfig.Reference))
{

    public static TheoryData<string> ContractTags => [.. EventTypeRegistry.ForContracts().Types.Select(t => t.Tag).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(ContractTags))]
    public void EveryContractEvent_ThroughAkkaSerialization_RoundTripsWithItsTagAndVersionAsManifest(string tag)
    {
        var info = EventTypeRegistry.ForContracts().Types.Single(t => t.Tag == tag);
        var sample = EventSamples.Create(info.Type, seed: tag.Length);

        var serializer = Sys.Serialization.FindSerializerFor(sample);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, sample);
        var bytes = serializer.ToBinary(sample);
        var back = Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest);

        Assert.IsType<EventSerializer>(serializer);
        Assert.Equal(EventSerializer.Id, serializer.Identifier);
        Assert.Equal($"{tag}/v{info.Version}", manifest);
        Assert.IsType(info.Type, back);
        Assert.Equal(bytes, serializer.ToBinary(back));
        Assert.DoesNotContain(info.Type.Name, Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void FromBinary_UnknownManifest_ThrowsSerializationExceptionNamingIt()
    {
        var serializer = (EventSerializer)Sys.Serialization.FindSerializerForType(typeof(TrialFailed));

        var e = Assert.Throws<SerializationException>(() => serializer.FromBinary("{}"u8.ToArray(), "no-such-event/v1"));

        Assert.Contains("no-such-event", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromBinary_CorruptPayload_ThrowsSerializationExceptionNamingTheManifest()
    {
        var serializer = (EventSerializer)Sys.Serialization.FindSerializerForType(typeof(TrialFailed));

        var e = Assert.Throws<SerializationException>(() => serializer.FromBinary("{not json"u8.ToArray(), "trial-failed/v1"));

        Assert.StartsWith("event trial-failed/v1: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromBinary_ManifestWithoutVersion_ThrowsSerializationException()
    {
        var serializer = (EventSerializer)Sys.Serialization.FindSerializerForType(typeof(TrialFailed));

        Assert.Throws<SerializationException>(() => serializer.FromBinary("{}"u8.ToArray(), "AlgoPerf.Contracts.Events.TrialFailed, AlgoPerf.Contracts"));
    }
}
