using Akka.Actor;
using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Contracts.Serialization;
using AlgoPerf.Trainer.Actors;

namespace AlgoPerf.Trainer.Tests.Actors;

/// <summary>
/// The gang protocol's messages through the product's remote serializer (Hyperion limited to the product's types),
/// as they travel between trainer hosts: actor refs, a timeout and the NCCL id's bytes come back whole. (No event
/// assemblies: this project does not reference the tuner's.)
/// </summary>
public sealed class GangMessageSerializationTests() : Akka.TestKit.Xunit2.TestKit(
    Akka.Configuration.ConfigurationFactory.ParseString("algoperf.serialization.event-assemblies = []").WithFallback(AlgoPerfConfig.Reference))
{
    [Fact]
    public void StartTrialWithGangAssignment_ThroughTheTransientSerializer_RoundTripsWithItsMembers()
    {
        var members = new[] { CreateTestProbe("rank-0").Ref, CreateTestProbe("rank-1").Ref };
        var start = new StartTrial(new TrialId("nadamw", "fmnist_mlp", 0, 1), [new("learning_rate", 0.01)], 42, 15, new GangAssignment("nadamw/fmnist_mlp/study_0/trial_1#2", 1, members, GangReducers.Gloo, TimeSpan.FromSeconds(120)));

        var back = RoundTrip(start);

        Assert.Equal((start.Trial, start.Seed, start.BudgetSec), (back.Trial, back.Seed, back.BudgetSec));
        Assert.Equal(start.Hyperparameters, back.Hyperparameters);
        Assert.Equal((start.Gang!.GangId, start.Gang.Rank, start.Gang.Reducer, start.Gang.Timeout), (back.Gang!.GangId, back.Gang.Rank, back.Gang.Reducer, back.Gang.Timeout));
        Assert.Equal(members, back.Gang.Members);
    }

    [Fact]
    public void GangRendezvousAndGangFailed_ThroughTheTransientSerializer_RoundTrip()
    {
        var id = Enumerable.Range(0, 128).Select(i => (byte)(i * 7)).ToArray();

        var nccl = RoundTrip(new GangRendezvous("g#1", null, id));
        var gloo = RoundTrip(new GangRendezvous("g#1", "10.0.0.5:41234"));
        var failed = RoundTrip(new GangFailed(new TrialId("a", "b", 0, 1), "g#1", "rank 1 waited 120 s"));

        Assert.Equal(id, nccl.NcclUniqueId);
        Assert.Equal(("g#1", "10.0.0.5:41234", (byte[]?)null), (gloo.GangId, gloo.StoreAddress, gloo.NcclUniqueId));
        Assert.Equal(new GangFailed(new TrialId("a", "b", 0, 1), "g#1", "rank 1 waited 120 s"), failed);
    }

    private T RoundTrip<T>(T message)
        where T : notnull
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<TransientMessageSerializer>(serializer);
        return (T)serializer.FromBinary(serializer.ToBinary(message), typeof(T));
    }
}
