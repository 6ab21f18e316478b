using AlgoPerf.Actors.Shutdown;

namespace AlgoPerf.Actors.Tests.Shutdown;

public sealed class CoordinatedShutdownTests : ActorTestBase
{
    [Fact]
    public async Task Run_TasksRunPhaseByPhaseInOrder_ThenTheSystemTerminates()
    {
        var log = new List<string>();
        var cs = Sys.CoordinatedShutdown;
        foreach (var phase in CoordinatedShutdown.Phases.Reverse())
        {
            cs.AddTask(phase, "t-" + phase, async _ =>
            {
                await Task.Yield();
                lock (log)
                {
                    log.Add(phase);
                }
            });
        }

        await cs.Run("test");

        Assert.Equal(CoordinatedShutdown.Phases, log);
        Assert.True(Sys.WhenTerminated.IsCompleted);
        Assert.Equal("test", cs.Reason);
    }

    [Fact]
    public async Task Run_CalledTwice_RunsOnce()
    {
        var runs = 0;
        Sys.CoordinatedShutdown.AddTask(ShutdownPhases.ServiceStop, "count", _ =>
        {
            Interlocked.Increment(ref runs);
            return Task.CompletedTask;
        });

        var first = Sys.CoordinatedShutdown.Run("a");
        var second = Sys.CoordinatedShutdown.Run("b");
        await Task.WhenAll(first, second);

        Assert.Same(first, second);
        Assert.Equal(1, runs);
        Assert.Equal("a", Sys.CoordinatedShutdown.Reason);
    }

    [Fact]
    public async Task Run_PhaseTimesOut_CancelsItsTasksAndContinues()
    {
        var cancelled = new TaskCompletionSource();
        var later = false;
        Sys.CoordinatedShutdown.AddTask(ShutdownPhases.ServiceUnbind, "hangs", async token =>
        {
            token.Register(() => cancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, token);
        });
        Sys.CoordinatedShutdown.AddTask(ShutdownPhases.ServiceStop, "later", _ =>
        {
            later = true;
            return Task.CompletedTask;
        });

        var run = Sys.CoordinatedShutdown.Run("timeout test");
        await Clock.WaitForPendingTimersAsync(1);
        Assert.False(run.IsCompleted);
        Clock.Advance(Sys.Settings.ShutdownPhaseTimeout);

        await run;
        await cancelled.Task;
        Assert.True(later);
    }

    [Fact]
    public async Task AddStopAfterDrainTask_StopsTheActorAfterItsQueuedMessages()
    {
        var handled = new List<int>();
        var actor = Sys.ActorOf(LambdaActor.Props((a, m) => { if (m is int i) { handled.Add(i); } else { a.NotHandled(m); } }));
        for (var i = 0; i < 100; i++)
        {
            actor.Tell(i, null);
        }

        Sys.CoordinatedShutdown.AddStopAfterDrainTask(ShutdownPhases.ServiceRequestsDone, actor);
        await Sys.CoordinatedShutdown.Run("drain");

        Assert.Equal(Enumerable.Range(0, 100), handled);
    }

    [Fact]
    public void AddTask_UnknownPhase_ThrowsListingPhases()
    {
        var e = Assert.Throws<ArgumentException>(() => Sys.CoordinatedShutdown.AddTask("cluster-leave", "x", _ => Task.CompletedTask));
        Assert.StartsWith("unknown shutdown phase 'cluster-leave'; phases: before-service-unbind", e.Message, StringComparison.Ordinal);
    }
}
