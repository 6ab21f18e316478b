using AlgoPerf.Actors.TestKit;

namespace AlgoPerf.Actors.Tests;

/// <summary>One actor system per test, on a <see cref="TestClock"/>; terminated after the test.</summary>
public abstract class ActorTestBase : IAsyncLifetime
{
    protected ActorTestBase(ActorSystemSettings? settings = null)
    {
        Clock = new TestClock();
        Sys = ActorSystem.Create(GetType().Name, settings, Clock);
    }

    protected TestClock Clock { get; }

    protected ActorSystem Sys { get; }

    protected TestProbe CreateProbe(string name = "probe") => new(Sys, name);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Sys.Terminate().WaitAsync(TestKitSettings.Current.Dilated(TimeSpan.FromSeconds(10)));
    }
}
