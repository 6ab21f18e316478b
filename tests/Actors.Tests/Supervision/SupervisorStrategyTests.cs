using AlgoPerf.Actors.Supervision;
using AlgoPerf.Actors.TestKit;

namespace AlgoPerf.Actors.Tests.Supervision;

public sealed class SupervisorStrategyTests : ActorTestBase
{
    private sealed class Boom(string message) : Exception(message);

    /// <summary>Counts "inc", replies its count to "get", throws on "boom".</summary>
    private static void Counter(LambdaActor a, object m)
    {
        switch (m)
        {
            case "inc":
                a.Counter++;
                break;
            case "get":
                a.From.Tell(a.Counter, a.Me);
                break;
            case "boom":
                throw new Boom("boom");
        }
    }

    private IActorRef Supervised(SupervisorStrategy strategy, TestProbe lifecycle, string name = "child")
    {
        var parent = Sys.ActorOf(LambdaActor.Props((a, m) => a.From.Tell(a.Ctx.ActorOf((Props)m, name), a.Me), strategy: strategy));
        return parent.Ask<IActorRef>(LambdaActor.Props(Counter, lifecycle: lifecycle.Ref), TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
    }

    [Fact]
    public async Task Resume_KeepsStateAndDropsTheFailingMessage()
    {
        var probe = CreateProbe();
        var child = Supervised(new OneForOneStrategy(decider: _ => Directive.Resume), probe);
        await probe.ExpectMsgAsync("PreStart");

        child.Tell("inc", null);
        child.Tell("boom", null);
        child.Tell("inc", null);
        child.Tell("get", probe.Ref);

        Assert.Equal(2, await probe.ExpectMsgAsync<int>());
    }

    [Fact]
    public async Task Restart_MakesAFreshInstanceKeepsTheMailboxAndDropsTheFailingMessage()
    {
        var probe = CreateProbe();
        var child = Supervised(new OneForOneStrategy(decider: _ => Directive.Restart), probe);
        await probe.ExpectMsgAsync("PreStart");

        child.Tell("inc", null);
        child.Tell("boom", null);
        child.Tell("inc", null);
        child.Tell("get", probe.Ref);

        await probe.ExpectMsgAsync("PreRestart:boom");
        await probe.ExpectMsgAsync("PostStop");
        await probe.ExpectMsgAsync("PostRestart");
        await probe.ExpectMsgAsync("PreStart");
        Assert.Equal(1, await probe.ExpectMsgAsync<int>());
    }

    [Fact]
    public async Task Stop_StopsTheChild()
    {
        var probe = CreateProbe();
        var child = Supervised(new OneForOneStrategy(decider: _ => Directive.Stop), probe);
        await probe.ExpectMsgAsync("PreStart");
        probe.Watch(child);

        child.Tell("boom", null);

        await probe.ExpectMsgAsync("PostStop");
        await probe.ExpectTerminatedAsync(child);
    }

    [Fact]
    public async Task Escalate_FailsTheParentWhoseSupervisorRestartsIt()
    {
        var probe = CreateProbe();
        var grandParent = Sys.ActorOf(LambdaActor.Props(
            (g, m) => g.Ctx.Child("parent")!.Forward(m),
            preStart: g => g.Ctx.ActorOf(LambdaActor.Props(
                (p, m) => p.Ctx.Child("leaf")!.Forward(m),
                preStart: p => p.Ctx.ActorOf(LambdaActor.Props(Counter, lifecycle: probe.Ref, tag: "leaf:"), "leaf"),
                lifecycle: probe.Ref,
                tag: "parent:",
                strategy: new OneForOneStrategy(decider: _ => Directive.Escalate)), "parent"),
            strategy: new OneForOneStrategy(decider: _ => Directive.Restart)));
        await probe.ExpectMsgAsync("parent:PreStart");
        await probe.ExpectMsgAsync("leaf:PreStart");

        grandParent.Tell("boom", null);

        await probe.ExpectMsgAsync("parent:PreRestart:");
        var stopped = new[] { await probe.ExpectMsgAsync<string>(), await probe.ExpectMsgAsync<string>() };
        Assert.Equal(["leaf:PostStop", "parent:PostStop"], stopped.Order());
        await probe.ExpectMsgAsync("parent:PostRestart");
        await probe.ExpectMsgAsync("parent:PreStart");
        await probe.ExpectMsgAsync("leaf:PreStart");
    }

    [Fact]
    public async Task DefaultDecider_InitializationFailure_StopsTheChild()
    {
        var probe = CreateProbe();
        var parent = Sys.ActorOf(LambdaActor.Props((a, m) => a.From.Tell(a.Ctx.ActorOf(LambdaActor.Props((_, _) => { }, preStart: _ => throw new Boom("no start")), "fragile"), a.Me)));
        var child = await parent.Ask<IActorRef>("spawn", TimeSpan.FromSeconds(5));
        probe.Watch(child);

        await probe.ExpectTerminatedAsync(child);
    }

    [Theory]
    [InlineData(typeof(ActorInitializationException), Directive.Stop)]
    [InlineData(typeof(ActorKilledException), Directive.Stop)]
    [InlineData(typeof(DeathPactException), Directive.Stop)]
    [InlineData(typeof(InvalidOperationException), Directive.Restart)]
    [InlineData(typeof(IOException), Directive.Restart)]
    public void DefaultDecider_MapsExceptionsAsAkka(Type exceptionType, Directive expected) =>
        Assert.Equal(expected, SupervisorStrategy.DefaultDecider((Exception)Activator.CreateInstance(exceptionType)!));

    [Fact]
    public async Task OneForOne_RetriesExhaustedWithinWindow_StopsTheChild()
    {
        var probe = CreateProbe();
        var child = Supervised(new OneForOneStrategy(maxNrOfRetries: 2, withinTimeRange: TimeSpan.FromMinutes(1), decider: _ => Directive.Restart), probe);
        await probe.ExpectMsgAsync("PreStart");
        probe.Watch(child);

        for (var i = 0; i < 2; i++)
        {
            child.Tell("boom", null);
            await probe.FishForMessageAsync<string>(s => s == "PostRestart");
        }

        child.Tell("boom", null);
        await probe.FishForMessageAsync<Terminated>(t => ReferenceEquals(t.Actor, child));
    }

    [Fact]
    public async Task OneForOne_FailuresSpreadOverWindows_KeepRestarting()
    {
        var probe = CreateProbe();
        var child = Supervised(new OneForOneStrategy(maxNrOfRetries: 1, withinTimeRange: TimeSpan.FromMinutes(1), decider: _ => Directive.Restart), probe);
        await probe.ExpectMsgAsync("PreStart");

        for (var i = 0; i < 3; i++)
        {
            child.Tell("boom", null);
            await probe.FishForMessageAsync<string>(s => s == "PostRestart");
            Clock.Advance(TimeSpan.FromMinutes(2));
        }

        child.Tell("inc", null);
        child.Tell("get", probe.Ref);
        Assert.Equal(1, await probe.FishForMessageAsync<int>(_ => true));
    }

    [Fact]
    public async Task AllForOne_Restart_RestartsEverySibling()
    {
        var probe = CreateProbe();
        var parent = Sys.ActorOf(LambdaActor.Props((p, m) => p.Ctx.Child("a")!.Forward(m), preStart: p =>
        {
            p.Ctx.ActorOf(LambdaActor.Props(Counter, lifecycle: probe.Ref, tag: "a:"), "a");
            p.Ctx.ActorOf(LambdaActor.Props(Counter, lifecycle: probe.Ref, tag: "b:"), "b");
        }, strategy: new AllForOneStrategy(decider: _ => Directive.Restart)));
        var started = new[] { await probe.ReceiveOneAsync(), await probe.ReceiveOneAsync() };
        Assert.Equal(["a:PreStart", "b:PreStart"], started.Cast<string>().Order());

        parent.Tell("boom", null);

        var seen = new List<string>();
        while (!(seen.Contains("a:PostRestart") && seen.Contains("b:PostRestart")))
        {
            seen.Add((string)await probe.ReceiveOneAsync());
        }

        Assert.Contains("a:PreRestart:boom", seen);
        Assert.Contains("b:PreRestart:", seen);
    }

    [Fact]
    public async Task AllForOne_Stop_StopsEverySibling()
    {
        var probe = CreateProbe();
        var parent = Sys.ActorOf(LambdaActor.Props((p, m) => p.Ctx.Child("a")!.Forward(m), preStart: p =>
        {
            probe.Watch(p.Ctx.ActorOf(LambdaActor.Props(Counter), "a"));
            probe.Watch(p.Ctx.ActorOf(LambdaActor.Props(Counter), "b"));
        }, strategy: new AllForOneStrategy(decider: _ => Directive.Stop)));

        parent.Tell("boom", null);

        var paths = new[] { (await probe.ExpectMsgAsync<Terminated>()).Actor.Path, (await probe.ExpectMsgAsync<Terminated>()).Actor.Path };
        Assert.Equal([parent.Path + "/a", parent.Path + "/b"], paths.Order());
    }

    [Fact]
    public void ChildRestartStats_WindowWithoutCount_AllowsOnePerWindow()
    {
        var stats = new ChildRestartStats();
        var t0 = Clock.GetUtcNow();
        Assert.True(stats.RequestRestartPermission(-1, TimeSpan.FromSeconds(10), t0));
        Assert.False(stats.RequestRestartPermission(-1, TimeSpan.FromSeconds(10), t0.AddSeconds(5)));
        Assert.True(stats.RequestRestartPermission(-1, TimeSpan.FromSeconds(10), t0.AddSeconds(11)));
    }

    [Fact]
    public void ChildRestartStats_CountWithoutWindow_NeverResets()
    {
        var stats = new ChildRestartStats();
        var t0 = Clock.GetUtcNow();
        Assert.True(stats.RequestRestartPermission(2, null, t0));
        Assert.True(stats.RequestRestartPermission(2, null, t0.AddDays(1)));
        Assert.False(stats.RequestRestartPermission(2, null, t0.AddDays(2)));
        Assert.False(stats.RequestRestartPermission(0, null, t0));
    }
}
