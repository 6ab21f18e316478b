using System.Text;
using AlgoPerf.Contracts.Serialization;
using AlgoPerf.Contracts.Events;

namespace AlgoPerf.Contracts.Tests.Serialization;

[EventContract("test-renamed", 2)]
public sealed record RenamedV2(string FullName, int Count);

public sealed class JsonEventSerializerTests
{
    [Fact]
    public void SerializeDeserialize_EveryContractEvent_RoundTripsWithTagAndVersion()
    {
        var registry = EventTypeRegistry.ForContracts();
        var serializer = new JsonEventSerializer(registry);
        var samples = EventSamples.For(registry);

        Assert.Equal(typeof(IEvent).Assembly.GetTypes().Count(t => t.IsDefined(typeof(EventContractAttribute), false)), samples.Count);
        foreach (var (info, sample) in samples)
        {
            var stored = serializer.Serialize(sample);
            Assert.Equal(info.Tag, stored.TypeTag);
            Assert.Equal(info.Version, stored.TypeVersion);
            var back = serializer.Deserialize(stored.TypeTag, stored.TypeVersion, stored.Utf8Json);
            Assert.IsType(info.Type, back);
            Assert.Equal(Encoding.UTF8.GetString(stored.Utf8Json), Encoding.UTF8.GetString(serializer.Serialize(back).Utf8Json));
        }
    }

    [Fact]
    public void Serialize_Payload_NeverContainsClrTypeNames()
    {
        var serializer = JsonEventSerializer.ForContracts();
        foreach (var (_, sample) in EventSamples.For(EventTypeRegistry.ForContracts()))
        {
            var json = Encoding.UTF8.GetString(serializer.Serialize(sample).Utf8Json);
            Assert.DoesNotContain("AlgoPerf.", json, StringComparison.Ordinal);
            Assert.DoesNotContain("$type", json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Serialize_UnregisteredType_ThrowsNamingIt()
    {
        var error = Assert.Throws<NotSupportedException>(() => JsonEventSerializer.ForContracts().Serialize(new Unregistered(1)));
        Assert.Contains(nameof(Unregistered), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_RunSessionStartedVersion1_ReadsAsOneDevicePerTrial()
    {
        var stored = """{"benchmark":"qs","session":2,"trainers":2,"threadsPerTrainer":1,"device":"cpu"}"""u8;

        var e = JsonEventSerializer.ForContracts().Deserialize("run-session-started", 1, stored);

        Assert.Equal(new AlgoPerf.Contracts.Events.RunSessionStarted("qs", 2, 2, 1, "cpu", DevicesPerTrial: 1), e);
    }

    [Fact]
    public void Deserialize_TrialStartedVersion1_ReadsAsAttemptZero()
    {
        // A trial-started/1 payload is today's without the attempt.
        var serializer = JsonEventSerializer.ForContracts();
        var started = new AlgoPerf.Contracts.Events.TrialStarted(new AlgoPerf.Contracts.Ids.TrialId("nadamw", "fmnist_mlp", 0, 2), 1, 40, Attempt: 5);
        var json = System.Text.Json.Nodes.JsonNode.Parse(serializer.Serialize(started).Utf8Json)!.AsObject();
        Assert.True(json.Remove("attempt"));

        var e = serializer.Deserialize("trial-started", 1, System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()));

        Assert.Equal(started with { Attempt = 0 }, e);
    }

    [Fact]
    public void Deserialize_OldVersion_AppliesUpcasterChain()
    {
        var registry = new EventTypeRegistry().Register<RenamedV2>()
            .AddUpcaster("test-renamed", 1, json =>
            {
                var o = json.AsObject();
                o["fullName"] = o["name"]!.GetValue<string>();
                o.Remove("name");
                o["count"] = 0;
                return o;
            });
        var serializer = new JsonEventSerializer(registry);

        var value = serializer.Deserialize("test-renamed", 1, """{"name":"adam"}"""u8);

        Assert.Equal(new RenamedV2("adam", 0), value);
    }

    [Fact]
    public void Deserialize_OldVersionWithoutUpcaster_ThrowsNamingTheStep()
    {
        var serializer = new JsonEventSerializer(new EventTypeRegistry().Register<RenamedV2>());
        var error = Assert.Throws<InvalidDataException>(() => serializer.Deserialize("test-renamed", 1, """{"name":"adam"}"""u8));
        Assert.Equal("no upcaster for event tag 'test-renamed' from version 1 to 2", error.Message);
    }

    [Fact]
    public void Deserialize_FutureVersion_Throws()
    {
        var serializer = new JsonEventSerializer(new EventTypeRegistry().Register<RenamedV2>());
        var error = Assert.Throws<InvalidDataException>(() => serializer.Deserialize("test-renamed", 3, "{}"u8));
        Assert.Contains("version 3 is not readable (current version 2)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_UnknownTagOrMissingField_ThrowsInvalidData()
    {
        var serializer = TestSerializers.Default;
        Assert.Equal("unknown event tag 'nope'", Assert.Throws<InvalidDataException>(() => serializer.Deserialize("nope", 1, "{}"u8)).Message);
        Assert.Contains("bad JSON for Counted", Assert.Throws<InvalidDataException>(() => serializer.Deserialize("test-counted", 1, """{"name":"x"}"""u8)).Message, StringComparison.Ordinal);
        Assert.Contains("bad JSON for Counted", Assert.Throws<InvalidDataException>(() => serializer.Deserialize("test-counted", 1, "{not json"u8)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Register_SameTagForTwoTypes_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new EventTypeRegistry().Register<Counted>().Register<IncompatibleCounted>());
        Assert.Contains("'test-counted' is registered twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Register_TypeWithoutContract_Throws()
    {
        Assert.Throws<ArgumentException>(() => new EventTypeRegistry().Register<Unregistered>());
    }

    [Fact]
    public void AddUpcaster_Twice_Throws()
    {
        var registry = new EventTypeRegistry().AddUpcaster("x", 1, j => j);
        Assert.Throws<ArgumentException>(() => registry.AddUpcaster("x", 1, j => j));
    }

    [Fact]
    public void Serialize_Infinity_RoundTrips()
    {
        var serializer = JsonEventSerializer.ForContracts();
        var decided = new StudyDecided(new("sub", "wl", 0), "reference", null, null, double.PositiveInfinity);
        var stored = serializer.Serialize(decided);
        Assert.Equal(decided, serializer.Deserialize(stored.TypeTag, stored.TypeVersion, stored.Utf8Json));
        Assert.Contains("\"Infinity\"", Encoding.UTF8.GetString(stored.Utf8Json), StringComparison.Ordinal);
    }
}
