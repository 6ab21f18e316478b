namespace AlgoPerf.Actors.Tests;

public sealed class ActorRefExtensionsTests : ActorTestBase
{
    [Fact]
    public async Task Ask_ActorReplies_ReturnsTheReply()
    {
        var echo = Sys.ActorOf(LambdaActor.Props((a, m) => a.From.Tell($"echo:{m}", a.Me)));
        Assert.Equal("echo:hi", await echo.Ask<string>("hi", TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Ask_NoReply_TimesOutOnTheSystemClock()
    {
        var silent = Sys.ActorOf(LambdaActor.Props((_, _) => { }), "silent");
        var ask = silent.Ask<string>("hello", TimeSpan.FromSeconds(30));
        await Clock.WaitForPendingTimersAsync(1);
        Assert.False(ask.IsCompleted);

        Clock.Advance(TimeSpan.FromSeconds(30));

        var e = await Assert.ThrowsAsync<AskTimeoutException>(() => ask);
        Assert.Equal("ask of /user/silent with String timed out after 00:00:30", e.Message);
    }

    [Fact]
    public async Task Ask_Cancelled_ThrowsOperationCanceled()
    {
        var silent = Sys.ActorOf(LambdaActor.Props((_, _) => { }));
        using var cts = new CancellationTokenSource();
        var ask = silent.Ask<string>("hello", TimeSpan.FromMinutes(1), cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ask);
        Assert.Equal(0, Clock.PendingTimers);
    }

    [Fact]
    public async Task Ask_StatusFailureReply_FaultsWithTheCause()
    {
        var failing = Sys.ActorOf(LambdaActor.Props((a, _) => a.From.Tell(new StatusFailure(new InvalidDataException("bad row 3")), a.Me)));
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => failing.Ask<string>("x", TimeSpan.FromSeconds(5)));
        Assert.Equal("bad row 3", e.Message);
    }

    [Fact]
    public async Task Ask_WrongReplyType_FaultsNamingBothTypes()
    {
        var actor = Sys.ActorOf(LambdaActor.Props((a, _) => a.From.Tell(42, a.Me)));
        var e = await Assert.ThrowsAsync<InvalidCastException>(() => actor.Ask<string>("x", TimeSpan.FromSeconds(5)));
        Assert.Equal("ask expected a reply of type String but got Int32", e.Message);
    }

    [Fact]
    public async Task Ask_DeadTarget_TimesOut()
    {
        var actor = Sys.ActorOf(LambdaActor.Props((_, _) => { }));
        Assert.True(await actor.GracefulStop(TimeSpan.FromSeconds(5)));

        var ask = actor.Ask<string>("x", TimeSpan.FromSeconds(1));
        await Clock.WaitForPendingTimersAsync(1);
        Clock.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<AskTimeoutException>(() => ask);
    }

    [Fact]
    public async Task GracefulStop_AlreadyStopped_CompletesTrue()
    {
        var actor = Sys.ActorOf(LambdaActor.Props((_, _) => { }));
        Assert.True(await actor.GracefulStop(TimeSpan.FromSeconds(5)));
        Assert.True(await actor.GracefulStop(TimeSpan.FromSeconds(5)));
    }
}
