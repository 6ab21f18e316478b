using System.Text.Json;
using AlgoPerf.Actors.Persistence.Journal;
using AlgoPerf.Contracts.Serialization;
using AlgoPerf.Contracts.Tests.Serialization;

namespace AlgoPerf.Actors.Tests.Persistence.Journal;

/// <summary>Every registered event type through a real write and replay.</summary>
public abstract partial class JournalConformanceTests
{
    [StoreFact]
    public async Task WriteThenReplay_EveryRegisteredEventType_RoundTrips()
    {
        var registry = EventTypeRegistry.ForContracts().Register<Counted>().Register<CounterState>();
        var samples = EventSamples.For(registry);
        Assert.True(samples.Count >= 10, $"expected every contract event, got {samples.Count}");

        await Journal.WriteAsync(new AtomicWrite("all-types", 0, [.. samples.Select((s, i) => new PendingEvent(i + 1, s.Sample))]));
        var replayed = await ReplayAsync("all-types");

        Assert.Equal(samples.Count, replayed.Count);
        for (var i = 0; i < samples.Count; i++)
        {
            var (info, sample) = samples[i];
            Assert.Equal(info.Tag, replayed[i].TypeTag);
            Assert.Equal(info.Version, replayed[i].TypeVersion);
            Assert.IsType(info.Type, replayed[i].Payload);
            Assert.Equal(
                JsonSerializer.Serialize(sample, info.Type, JsonEventSerializer.Options),
                JsonSerializer.Serialize(replayed[i].Payload, info.Type, JsonEventSerializer.Options));
        }
    }
}
