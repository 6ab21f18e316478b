using AlgoPerf.Actors.TestKit;

namespace AlgoPerf.Actors.Tests.TestKit;

public sealed class TestProbeTests : ActorTestBase
{
    [Fact]
    public async Task ExpectMsgAsync_NothingArrives_MessageNamesProbeAndExpectation()
    {
        var probe = CreateProbe("lonely");
        var e = await Assert.ThrowsAsync<TestProbeException>(() => probe.ExpectMsgAsync<string>(timeout: TimeSpan.FromMilliseconds(50)));
        Assert.StartsWith("probe 'lonely': timeout (", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("waiting for a String; nothing arrived", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpectMsgAsync_WrongType_MessageNamesWhatArrived()
    {
        var probe = CreateProbe("typed");
        probe.Ref.Tell(42, null);
        var e = await Assert.ThrowsAsync<TestProbeException>(() => probe.ExpectMsgAsync<string>());
        Assert.Equal("probe 'typed': expected a String but received Int32 { 42 }", e.Message);
    }

    [Fact]
    public async Task ExpectMsgAsync_PredicateFails_MessageNamesTheHint()
    {
        var probe = CreateProbe("picky");
        probe.Ref.Tell("b", null);
        var e = await Assert.ThrowsAsync<TestProbeException>(() => probe.ExpectMsgAsync<string>(s => s == "a", hint: "\"a\""));
        Assert.Equal("probe 'picky': expected a String matching \"a\" but received String { b }", e.Message);
    }

    [Fact]
    public async Task FishForMessageAsync_SkipsUntilMatch()
    {
        var probe = CreateProbe();
        probe.Ref.Tell(1, null);
        probe.Ref.Tell("x", null);
        probe.Ref.Tell(3, null);
        Assert.Equal(3, await probe.FishForMessageAsync<int>(i => i > 2));
        Assert.Equal(0, probe.Pending);
    }

    [Fact]
    public async Task FishForMessageAsync_NoMatch_ListsSkippedMessages()
    {
        var probe = CreateProbe("fisher");
        probe.Ref.Tell(1, null);
        var e = await Assert.ThrowsAsync<TestProbeException>(() => probe.FishForMessageAsync<int>(i => i > 2, TimeSpan.FromMilliseconds(50), "i > 2"));
        Assert.Contains("probe 'fisher': timeout", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("fishing for a Int32 matching i > 2; skipped 1: [Int32 { 1 }]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpectNoMsgAsync_MessageArrives_Fails()
    {
        var probe = CreateProbe("quiet");
        probe.Ref.Tell("noise", null);
        var e = await Assert.ThrowsAsync<TestProbeException>(() => probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50)));
        Assert.Equal("probe 'quiet': expected no message for 00:00:00.0500000 but received String { noise }", e.Message);
    }

    [Fact]
    public async Task Reply_AnswersTheLastSender()
    {
        var probe = CreateProbe();
        var asker = Sys.ActorOf(LambdaActor.Props((a, m) =>
        {
            if (m is "go")
            {
                probe.Ref.Tell("question", a.Me);
            }
            else
            {
                a.Counter++;
                probe.Ref.Tell($"got {m}", null);
            }
        }));
        asker.Tell("go", null);
        await probe.ExpectMsgAsync("question");
        probe.Reply("answer");
        await probe.ExpectMsgAsync("got answer");
    }

    [Fact]
    public void Dilated_TimeFactor_StretchesTimeouts()
    {
        var settings = new TestKitSettings { TimeFactor = 2.5 }.Validate();
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Dilated(TimeSpan.FromSeconds(2)));
        Assert.Throws<ArgumentException>(() => new TestKitSettings { TimeFactor = 0.5 }.Validate());
    }

    [Fact]
    public async Task TestClock_WaitForPendingTimers_TimesOutNamingCounts()
    {
        var e = await Assert.ThrowsAsync<TimeoutException>(() => Clock.WaitForPendingTimersAsync(1, TimeSpan.FromMilliseconds(50)));
        Assert.EndsWith("for 1 pending timer(s), but only 0 exist", e.Message, StringComparison.Ordinal);
    }
}
