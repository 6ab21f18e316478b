using Akka.Serialization;
using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Contracts.Serialization;

namespace AlgoPerf.Contracts.Tests.Serialization;

/// <summary>A transient message of the product's own (no [EventContract]), as remote messages are.</summary>
public sealed record PingTrial(TrialId Trial, IReadOnlyList<double> Values, IReadOnlyDictionary<string, long> Counts);

public sealed class TransientMessageSerializerTests() : Akka.TestKit.Xunit2.TestKit(
    Akka.Configuration.ConfigurationFactory.ParseString("algoperf.serialization.event-assemblies = []").WithFallback(AlgoPerfConfig.Reference))
{
    [Fact]
    public void OwnTransientMessage_ThroughHyperion_RoundTrips()
    {
        var message = new PingTrial(new TrialId("nadamw", "fmnist_mlp", 0, 1), [1.5, 2.5], new Dictionary<string, long> { ["steps"] = 3 });

        var serializer = Sys.Serialization.FindSerializerFor(message);
        var back = (PingTrial)serializer.FromBinary(serializer.ToBinary(message), typeof(PingTrial));

        Assert.IsType<TransientMessageSerializer>(serializer);
        Assert.Equal(message.Trial, back.Trial);
        Assert.Equal(message.Values, back.Values);
        Assert.Equal(message.Counts, back.Counts);
    }

    [Fact]
    public void Event_WithHyperionBoundToObject_StillUsesTheEventSerializer()
    {
        Assert.IsType<EventSerializer>(Sys.Serialization.FindSerializerForType(typeof(TrialFailed)));
    }

    [Fact]
    public void ForeignType_FromTheWire_IsRefusedBeforeItIsBuilt()
    {
        // Bytes as a peer without the filter would send them (Akka's own Hyperion serializer, which ignores its filter).
        var unfiltered = new HyperionSerializer((Akka.Actor.ExtendedActorSystem)Sys);
        var foreign = unfiltered.ToBinary(new Foreign.Gadget(7));
        var serializer = Sys.Serialization.FindSerializerFor(new PingTrial(new TrialId("a", "b", 0, 1), [], new Dictionary<string, long>()));

        var e = Assert.ThrowsAny<Exception>(() => serializer.FromBinary(foreign, typeof(object)));

        Assert.Contains("Foreign.Gadget", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForeignType_Sent_IsRefusedWhereItIsSent()
    {
        var serializer = Sys.Serialization.FindSerializerFor(new Foreign.Gadget(7));

        var e = Assert.ThrowsAny<Exception>(() => serializer.ToBinary(new Foreign.Gadget(7)));

        Assert.Contains("Foreign.Gadget", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AlgoPerf.Contracts.Ids.TrialId, AlgoPerf.Contracts", true)]
    [InlineData("System.Collections.Generic.List`1[[AlgoPerf.Contracts.Ids.TrialId, AlgoPerf.Contracts]], System.Private.CoreLib", true)]
    [InlineData("System.Collections.Generic.Dictionary`2[[System.String, System.Private.CoreLib],[System.Double, System.Private.CoreLib]], System.Private.CoreLib", true)]
    [InlineData("System.Collections.Generic.List`1[[System.Uri, System.Private.Uri]], System.Private.CoreLib", false)]
    [InlineData("System.Uri, System.Private.Uri", false)]
    [InlineData("System.Diagnostics.Process, System.Diagnostics.Process", false)]
    [InlineData("Evil.AlgoPerf.Gadget, Evil", false)]
    [InlineData("<>z__ReadOnlyArray`1[[System.Double, System.Private.CoreLib,%core%]], AlgoPerf.Tuner", true)]
    [InlineData("<>z__ReadOnlyArray`1[[System.Double, System.Private.CoreLib,%core%]], Evil", false)]
    public void IsAllowed_TypeName_AcceptsOnlyOwnAkkaAndListedLibraryTypesWithAllowedArguments(string typeName, bool allowed)
    {
        Assert.Equal(allowed, ProductTypeFilter.Instance.IsAllowed(typeName));
    }
}

