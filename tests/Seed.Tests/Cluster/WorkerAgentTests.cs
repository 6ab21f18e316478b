using Akka.Actor;
using Akka.Configuration;
using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Seed.Cluster;
using AlgoPerf.Trainer.Actors;

namespace AlgoPerf.Seed.Tests.Cluster;

/// <summary>A worker's agent in a one-node cluster of its own (a worker with no coordinator in reach).</summary>
public sealed class WorkerAgentTests() : Akka.TestKit.Xunit2.TestKit(NodeConfig)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(20);

    private static Config NodeConfig => ConfigurationFactory.ParseString("""
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        akka.cluster.roles = [worker]
        """).WithFallback(AlgoPerfConfig.Reference);

    [Fact]
    public async Task CutOff_NoCoordinatorReachableForCutOffStop_PausesEveryTrainer()
    {
        var (trainerA, trainerB) = (CreateTestProbe("a"), CreateTestProbe("b"));
        var status = await UpAsync();

        Sys.ActorOf(WorkerAgent.Props([trainerA.Ref, trainerB.Ref], ["cpu:0", "cpu:1"], "{}", TimeSpan.FromSeconds(1), TimeProvider.System, new TaskCompletionSource<WorkerExit>(), status));

        Assert.Same(PauseForCutOff.Instance, await trainerA.ExpectMsgAsync<PauseForCutOff>(Long));
        Assert.Same(PauseForCutOff.Instance, await trainerB.ExpectMsgAsync<PauseForCutOff>(Long));
        await trainerA.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(1500));
    }

    [Fact]
    public async Task Registration_CoordinatorAsksAndAccepts_AttachesEveryTrainerToItsSchedulerAndReportsThem()
    {
        var (trainer, coordinator, scheduler) = (CreateTestProbe("trainer"), CreateTestProbe("coordinator"), CreateTestProbe("scheduler"));
        var status = await UpAsync();
        var agent = Sys.ActorOf(WorkerAgent.Props([trainer.Ref], ["cuda:0"], "{\"name\":\"b\"}", TimeSpan.FromMinutes(5), TimeProvider.System, new TaskCompletionSource<WorkerExit>(), status));

        agent.Tell(new IdentifyWorker(coordinator.Ref));
        var register = await coordinator.ExpectMsgAsync<RegisterWorker>(Long);
        coordinator.Reply(new WorkerAccepted(scheduler.Ref));
        Assert.Equal(scheduler.Ref, (await trainer.ExpectMsgAsync<AttachTrainer>(Long)).Requester);
        var attached = new TrainerAttached(trainer.Ref, "cuda:0", null, []);
        trainer.Reply(attached);

        Assert.Equal(("{\"name\":\"b\"}", "cuda:0"), (register.Benchmark, string.Join(',', register.Devices)));
        Assert.Equal([attached], (await coordinator.ExpectMsgAsync<WorkerTrainers>(Long)).Trainers);
        await AwaitConditionAsync(() => Task.FromResult(status.Registered), Long);
    }

    [Fact]
    public async Task Registration_CoordinatorRefuses_EndsTheWorkerWithTheReason()
    {
        var status = await UpAsync();
        var exit = new TaskCompletionSource<WorkerExit>();
        var agent = Sys.ActorOf(WorkerAgent.Props([], [], "{}", TimeSpan.FromMinutes(5), TimeProvider.System, exit, status));

        agent.Tell(new WorkerRefused("run_seed: its configuration says \"4\", the coordinators' says \"3\""));

        Assert.Equal(new WorkerExit(1, "error: the coordinator refused this worker: run_seed: its configuration says \"4\", the coordinators' says \"3\""), await exit.Task.WaitAsync(Long));
    }

    // The node joins itself: Up, a worker, no coordinator anywhere.
    private async Task<NodeStatus> UpAsync()
    {
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        var up = new TaskCompletionSource();
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        await up.Task.WaitAsync(Long);
        return new NodeStatus(NodeRole.Worker) { Up = true };
    }
}
