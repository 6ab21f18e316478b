namespace AlgoPerf.Actors.Tests;

public sealed class ActorSystemTests : ActorTestBase
{
    [Fact]
    public async Task Tell_ManyMessagesFromOneSender_ArriveInOrder()
    {
        var probe = CreateProbe();
        var actor = Sys.ActorOf(LambdaActor.Props((a, m) => probe.Ref.Tell(m, a.Me)), "orderly");
        const int n = 5000;
        for (var i = 0; i < n; i++)
        {
            actor.Tell(i, probe.Ref);
        }

        for (var i = 0; i < n; i++)
        {
            Assert.Equal(i, await probe.ExpectMsgAsync<int>());
        }
    }

    [Fact]
    public async Task Tell_ConcurrentSenders_KeepPerSenderOrder()
    {
        var probe = CreateProbe();
        var actor = Sys.ActorOf(LambdaActor.Props((a, m) => probe.Ref.Tell(m, a.Me)));
        const int senders = 4;
        const int perSender = 2000;
        var tasks = Enumerable.Range(0, senders).Select(s => Task.Run(() =>
        {
            for (var i = 0; i < perSender; i++)
            {
                actor.Tell((s, i), null);
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        var next = new int[senders];
        for (var k = 0; k < senders * perSender; k++)
        {
            var (s, i) = await probe.ExpectMsgAsync<(int, int)>();
            Assert.Equal(next[s], i);
            next[s]++;
        }

        Assert.All(next, c => Assert.Equal(perSender, c));
    }

    [Fact]
    public async Task Tell_ToStoppedActor_GoesToDeadLettersAndIsCounted()
    {
        var probe = CreateProbe();
        Sys.EventStream.Subscribe(probe.Ref, typeof(DeadLetter));
        var actor = Sys.ActorOf(LambdaActor.Props((_, _) => { }), "short-lived");
        probe.Watch(actor);
        Sys.Stop(actor);
        await probe.ExpectTerminatedAsync(actor);
        var before = Sys.DeadLetterCount;

        actor.Tell("lost", probe.Ref);

        var dead = await probe.ExpectMsgAsync<DeadLetter>();
        Assert.Equal("lost", dead.Message);
        Assert.Same(actor, dead.Recipient);
        Assert.Same(probe.Ref, dead.Sender);
        Assert.Equal(before + 1, Sys.DeadLetterCount);
    }

    [Fact]
    public void ActorOf_DuplicateName_Throws()
    {
        Sys.ActorOf(LambdaActor.Props((_, _) => { }), "twin");
        var e = Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(LambdaActor.Props((_, _) => { }), "twin"));
        Assert.Contains("'twin' is not unique under /user", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("$reserved")]
    [InlineData("a/b")]
    public void ActorOf_InvalidName_Throws(string name) =>
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(LambdaActor.Props((_, _) => { }), name));

    [Fact]
    public void ActorOf_UnknownDispatcher_ThrowsNamingIt()
    {
        var e = Assert.Throws<ArgumentException>(() => Sys.ActorOf(LambdaActor.Props((_, _) => { }).WithDispatcher("gpu-dispatcher")));
        Assert.Contains("unknown dispatcher 'gpu-dispatcher'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ActorOf_PinnedDispatcher_RunsEveryMessageOnOneDedicatedThread()
    {
        var probe = CreateProbe();
        var actor = Sys.ActorOf(LambdaActor.Props((a, _) => a.From.Tell((Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name), a.Me)).WithDispatcher(Dispatchers.Pinned), "blocking");
        var replies = new List<(int Id, bool Pool, string? Name)>();
        for (var i = 0; i < 3; i++)
        {
            actor.Tell(i, probe.Ref);
            replies.Add(await probe.ExpectMsgAsync<(int, bool, string?)>());
        }

        Assert.Single(replies.Select(r => r.Id).Distinct());
        Assert.All(replies, r => Assert.False(r.Pool));
        Assert.All(replies, r => Assert.Equal("algoperf-pinned:/user/blocking", r.Name));
    }

    [Fact]
    public async Task Terminate_StopsChildrenBeforeParents()
    {
        var probe = CreateProbe();
        Sys.ActorOf(LambdaActor.Props((_, _) => { }, preStart: a => a.Ctx.ActorOf(LambdaActor.Props((_, _) => { }, lifecycle: probe.Ref, tag: "child:"), "child"), lifecycle: probe.Ref, tag: "parent:"), "parent");
        await probe.ExpectMsgAsync("parent:PreStart");
        await probe.ExpectMsgAsync("child:PreStart");

        await Sys.Terminate();

        await probe.ExpectMsgAsync("child:PostStop");
        await probe.ExpectMsgAsync("parent:PostStop");
        Assert.True(Sys.WhenTerminated.IsCompletedSuccessfully);
    }
}
