namespace AlgoPerf.Actors.Tests.Internal;

public sealed class ActorCellTests : ActorTestBase
{
    private sealed record Ping(int N);

    private sealed record Tick;

    [Fact]
    public async Task Watch_TargetStops_DeliversTerminated()
    {
        var probe = CreateProbe();
        var target = Sys.ActorOf(LambdaActor.Props((a, m) => a.From.Tell(m, a.Me)));
        Sys.ActorOf(LambdaActor.Props((a, m) => probe.Ref.Tell(m, a.Me), preStart: a =>
        {
            a.Ctx.Watch(target);
            target.Tell("watching", probe.Ref);
        }));
        await probe.ExpectMsgAsync("watching");

        Sys.Stop(target);

        var terminated = await probe.ExpectMsgAsync<Terminated>();
        Assert.Same(target, terminated.Actor);
        Assert.True(terminated.ExistenceConfirmed);
    }

    [Fact]
    public async Task Watch_TargetAlreadyDead_StillDeliversTerminated()
    {
        var probe = CreateProbe();
        var target = Sys.ActorOf(LambdaActor.Props((_, _) => { }));
        probe.Watch(target);
        Sys.Stop(target);
        await probe.ExpectTerminatedAsync(target);

        Sys.ActorOf(LambdaActor.Props((a, m) => probe.Ref.Tell(m, a.Me), preStart: a => a.Ctx.Watch(target)));

        var terminated = await probe.ExpectMsgAsync<Terminated>();
        Assert.Same(target, terminated.Actor);
    }

    [Fact]
    public async Task Unwatch_BeforeTargetStops_NoTerminated()
    {
        var probe = CreateProbe();
        var target = Sys.ActorOf(LambdaActor.Props((_, _) => { }));
        var watcher = Sys.ActorOf(LambdaActor.Props((a, m) =>
        {
            if (m is "unwatch")
            {
                a.Ctx.Unwatch(target);
                a.From.Tell("unwatched", a.Me);
            }
            else
            {
                probe.Ref.Tell(m, a.Me);
            }
        }, preStart: a => a.Ctx.Watch(target)));
        watcher.Tell("unwatch", probe.Ref);
        await probe.ExpectMsgAsync("unwatched");

        Sys.Stop(target);
        watcher.Tell("after", null);

        await probe.ExpectMsgAsync("after");
        Assert.Equal(0, probe.Pending);
    }

    [Fact]
    public async Task Terminated_Unhandled_ThrowsDeathPactAndStopsTheWatcher()
    {
        var probe = CreateProbe();
        var target = Sys.ActorOf(LambdaActor.Props((_, _) => { }));
        var watcher = Sys.ActorOf(LambdaActor.Props((a, m) => a.NotHandled(m), preStart: a => a.Ctx.Watch(target)));
        probe.Watch(watcher);

        Sys.Stop(target);

        await probe.ExpectTerminatedAsync(watcher);
    }

    [Fact]
    public async Task StashUnstashAll_ReplaysStashedMessagesInOrderBeforeNewOnes()
    {
        var probe = CreateProbe();
        var actor = Sys.ActorOf(LambdaActor.Props((a, m) =>
        {
            switch (m)
            {
                case "open":
                    a.Ctx.Become(o => probe.Ref.Tell(o, null));
                    a.Stashed.UnstashAll();
                    break;
                default:
                    a.Stashed.Stash();
                    break;
            }
        }));
        actor.Tell(1, null);
        actor.Tell(2, null);
        actor.Tell(3, null);
        actor.Tell("open", null);
        actor.Tell(4, null);

        for (var i = 1; i <= 4; i++)
        {
            Assert.Equal(i, await probe.ExpectMsgAsync<int>());
        }
    }

    [Fact]
    public async Task Stash_ActorStops_StashedMessagesGoToDeadLetters()
    {
        var probe = CreateProbe();
        Sys.EventStream.Subscribe(probe.Ref, typeof(DeadLetter));
        var actor = Sys.ActorOf(LambdaActor.Props((a, m) => a.Stashed.Stash()));
        actor.Tell("kept", null);
        actor.Tell(PoisonPill.Instance, null);

        var dead = await probe.ExpectMsgAsync<DeadLetter>();
        Assert.Equal("kept", dead.Message);
    }

    [Fact]
    public async Task BecomeUnbecome_StackedBehaviors()
    {
        var probe = CreateProbe();
        var actor = Sys.ActorOf(LambdaActor.Props((a, m) =>
        {
            if (m is "push")
            {
                a.Ctx.Become(o => { if (o is "pop") { a.Ctx.Unbecome(); } else { probe.Ref.Tell("second:" + o, null); } }, discardOld: false);
            }
            else
            {
                probe.Ref.Tell("first:" + m, null);
            }
        }));
        actor.Tell("x", null);
        actor.Tell("push", null);
        actor.Tell("y", null);
        actor.Tell("pop", null);
        actor.Tell("z", null);

        await probe.ExpectMsgAsync("first:x");
        await probe.ExpectMsgAsync("second:y");
        await probe.ExpectMsgAsync("first:z");
    }

    [Fact]
    public async Task ReceiveTimeout_NoMessages_FiresOnFakeTimeAndMessagesResetIt()
    {
        var probe = CreateProbe();
        var actor = Sys.ActorOf(LambdaActor.Props((a, m) => probe.Ref.Tell(m, null), preStart: a => a.Ctx.SetReceiveTimeout(TimeSpan.FromSeconds(10))));
        await Clock.WaitForPendingTimersAsync(1);

        Clock.Advance(TimeSpan.FromSeconds(6));
        actor.Tell("keep-alive", null);
        await probe.ExpectMsgAsync("keep-alive");
        Clock.Advance(TimeSpan.FromSeconds(6));
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        Clock.Advance(TimeSpan.FromSeconds(4));

        await probe.ExpectMsgAsync<ReceiveTimeout>();
    }

    [Fact]
    public async Task Timers_SingleAndPeriodic_FireOnFakeTime()
    {
        var probe = CreateProbe();
        Sys.ActorOf(LambdaActor.Props((a, m) => probe.Ref.Tell(m, null), preStart: a =>
        {
            a.Ctx.Timers.StartSingleTimer("once", "single", TimeSpan.FromSeconds(5));
            a.Ctx.Timers.StartPeriodicTimer("tick", new Tick(), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        }));
        await Clock.WaitForPendingTimersAsync(2);

        Clock.Advance(TimeSpan.FromSeconds(2));
        await probe.ExpectMsgAsync<Tick>();
        Clock.Advance(TimeSpan.FromSeconds(2));
        await probe.ExpectMsgAsync<Tick>();
        Clock.Advance(TimeSpan.FromSeconds(1));
        await probe.ExpectMsgAsync("single");
    }

    [Fact]
    public async Task Timers_CancelledAfterFiring_StaleMessageIsNotDelivered()
    {
        var probe = CreateProbe();
        var gate = new ManualResetEventSlim();
        var actor = Sys.ActorOf(LambdaActor.Props((a, m) =>
        {
            switch (m)
            {
                case "block":
                    gate.Wait(TimeSpan.FromSeconds(10));
                    break;
                case "cancel":
                    a.Ctx.Timers.Cancel("t");
                    probe.Ref.Tell($"active={a.Ctx.Timers.IsTimerActive("t")}", null);
                    break;
                default:
                    probe.Ref.Tell(m, null);
                    break;
            }
        }, preStart: a => a.Ctx.Timers.StartSingleTimer("t", "fired", TimeSpan.FromSeconds(1))));
        await Clock.WaitForPendingTimersAsync(1);
        actor.Tell("block", null);
        actor.Tell("cancel", null);
        Clock.Advance(TimeSpan.FromSeconds(1));
        actor.Tell("after", null);
        gate.Set();

        await probe.ExpectMsgAsync("active=False");
        await probe.ExpectMsgAsync("after");
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Timers_ActorRestarts_TimersAreCancelled()
    {
        var probe = CreateProbe();
        var actor = Sys.ActorOf(LambdaActor.Props((a, m) =>
        {
            if (m is "arm")
            {
                a.Ctx.Timers.StartSingleTimer("t", "fired", TimeSpan.FromSeconds(1));
                a.From.Tell("armed", a.Me);
            }
            else if (m is "boom")
            {
                throw new InvalidOperationException("boom");
            }
            else
            {
                probe.Ref.Tell(m, null);
            }
        }, lifecycle: probe.Ref));
        await probe.ExpectMsgAsync("PreStart");
        actor.Tell("arm", probe.Ref);
        await probe.ExpectMsgAsync("armed");
        Assert.Equal(1, Clock.PendingTimers);

        actor.Tell("boom", null);
        await probe.FishForMessageAsync<string>(s => s == "PreStart");
        Assert.Equal(0, Clock.PendingTimers);
        Clock.Advance(TimeSpan.FromSeconds(2));
        actor.Tell("after", null);

        await probe.ExpectMsgAsync("after");
    }

    [Fact]
    public async Task PoisonPill_ProcessedInOrder_StopsAfterEarlierMessages()
    {
        var probe = CreateProbe();
        var actor = Sys.ActorOf(LambdaActor.Props((a, m) => probe.Ref.Tell(m, null)));
        probe.Watch(actor);
        actor.Tell(new Ping(1), null);
        actor.Tell(PoisonPill.Instance, null);
        actor.Tell(new Ping(2), null);

        await probe.ExpectMsgAsync(new Ping(1));
        await probe.ExpectTerminatedAsync(actor);
    }

    [Fact]
    public async Task Kill_DefaultSupervision_StopsTheActor()
    {
        var probe = CreateProbe();
        var actor = Sys.ActorOf(LambdaActor.Props((_, _) => { }));
        probe.Watch(actor);
        actor.Tell(Kill.Instance, null);
        await probe.ExpectTerminatedAsync(actor);
    }

    [Fact]
    public async Task StopAfterDrain_Unhandled_StopsAfterEarlierMessages()
    {
        var probe = CreateProbe();
        var actor = Sys.ActorOf(LambdaActor.Props((a, m) => { if (m is int) { probe.Ref.Tell(m, null); } else { a.NotHandled(m); } }));
        probe.Watch(actor);
        actor.Tell(1, null);
        actor.Tell(StopAfterDrain.Instance, null);

        await probe.ExpectMsgAsync(1);
        await probe.ExpectTerminatedAsync(actor);
    }

    [Fact]
    public async Task Children_StopChild_FreesItsNameAfterTermination()
    {
        var probe = CreateProbe();
        var parent = Sys.ActorOf(LambdaActor.Props((a, m) =>
        {
            switch (m)
            {
                case "spawn":
                    a.Ctx.Watch(a.Ctx.ActorOf(LambdaActor.Props((_, _) => { }), "worker"));
                    a.From.Tell(a.Ctx.Children.Count, a.Me);
                    break;
                case "stop":
                    a.Ctx.Stop(a.Ctx.Child("worker")!);
                    break;
                case Terminated t:
                    probe.Ref.Tell(t.Actor.Path, null);
                    break;
            }
        }));
        parent.Tell("spawn", probe.Ref);
        Assert.Equal(1, await probe.ExpectMsgAsync<int>());
        parent.Tell("stop", null);
        Assert.Equal(parent.Path + "/worker", await probe.ExpectMsgAsync<string>());

        parent.Tell("spawn", probe.Ref);

        Assert.Equal(1, await probe.ExpectMsgAsync<int>());
    }

    [Fact]
    public async Task Sender_NoSender_IsDeadLetters()
    {
        var probe = CreateProbe();
        var actor = Sys.ActorOf(LambdaActor.Props((a, _) => probe.Ref.Tell(a.From, null)));
        actor.Tell("x", null);
        Assert.Same(Sys.DeadLetters, await probe.ExpectMsgAsync<IActorRef>());
    }

    [Fact]
    public async Task Tell_InsideActorWithoutSender_UsesSelfAsImplicitSender()
    {
        var probe = CreateProbe();
        var actor = Sys.ActorOf(LambdaActor.Props((a, m) => probe.Ref.Tell(m)));
        actor.Tell("x", null);
        await probe.ExpectMsgAsync("x");
        Assert.Same(actor, probe.LastSender);
    }
}
