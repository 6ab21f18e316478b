using AlgoPerf.Actors.Pattern;
using Microsoft.Extensions.Time.Testing;

namespace AlgoPerf.Actors.Tests.Pattern;

public sealed class CircuitBreakerTests
{
    private static readonly CircuitBreakerSettings Limits = new(3, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly List<CircuitBreakerState> _transitions = [];

    private CircuitBreaker Create(Func<Exception, bool>? isFailure = null)
    {
        var breaker = new CircuitBreaker(Limits, _time, isFailure);
        breaker.Transitioned += _transitions.Add;
        return breaker;
    }

    private static Task Fail(CircuitBreaker breaker, Exception? error = null) =>
        Assert.ThrowsAnyAsync<Exception>(() => breaker.CallAsync(_ => Task.FromException<int>(error ?? new IOException("database down"))));

    private int _calls;

    /// <summary>Opens <paramref name="breaker"/> with its three failures in a row.</summary>
    private static async Task Open(CircuitBreaker breaker)
    {
        for (var i = 0; i < Limits.MaxFailures; i++)
        {
            await Fail(breaker);
        }
    }

    private Task<int> Succeed(CircuitBreaker breaker) => breaker.CallAsync(_ => Task.FromResult(Interlocked.Increment(ref _calls)));

    [Fact]
    public async Task CallAsync_Closed_PassesResultsAndExceptionsThrough()
    {
        var breaker = Create();

        Assert.Equal(1, await Succeed(breaker));
        var error = await Assert.ThrowsAsync<IOException>(() => breaker.CallAsync<int>(_ => throw new IOException("boom")));

        Assert.Equal("boom", error.Message);
        Assert.Equal((CircuitBreakerState.Closed, 1), (breaker.State, breaker.FailureCount));
    }

    [Fact]
    public async Task CallAsync_MaxFailuresInARow_OpensAndRefusesWithoutCalling()
    {
        var breaker = Create();
        await Open(breaker);

        _time.Advance(TimeSpan.FromSeconds(12));
        var refused = await Assert.ThrowsAsync<OpenCircuitException>(() => Succeed(breaker));

        Assert.Equal(0, _calls);
        Assert.Equal(TimeSpan.FromSeconds(18), refused.RemainingDuration);
        Assert.Equal(CircuitBreakerState.Open, breaker.State);
        Assert.Equal([CircuitBreakerState.Open], _transitions);
    }

    [Fact]
    public async Task CallAsync_SuccessBetweenFailures_ResetsTheCount()
    {
        var breaker = Create();
        await Fail(breaker);
        await Fail(breaker);
        await Succeed(breaker);
        await Fail(breaker);
        await Fail(breaker);

        Assert.Equal((CircuitBreakerState.Closed, 2), (breaker.State, breaker.FailureCount));
    }

    [Fact]
    public async Task CallAsync_AfterResetTimeout_OneProbeClosesTheBreaker()
    {
        var breaker = Create();
        await Open(breaker);

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(CircuitBreakerState.HalfOpen, breaker.State);
        var probe = new TaskCompletionSource<int>();
        var probing = breaker.CallAsync(_ => probe.Task);
        // While the probe is out every other call is refused (nothing to wait for: zero remaining).
        var refused = await Assert.ThrowsAsync<OpenCircuitException>(() => Succeed(breaker));
        probe.SetResult(7);

        Assert.Equal(7, await probing);
        Assert.Equal(TimeSpan.Zero, refused.RemainingDuration);
        Assert.Equal(1, await Succeed(breaker));
        Assert.Equal([CircuitBreakerState.Open, CircuitBreakerState.HalfOpen, CircuitBreakerState.Closed], _transitions);
    }

    [Fact]
    public async Task CallAsync_FailedProbe_OpensForAnotherResetTimeout()
    {
        var breaker = Create();
        await Open(breaker);

        _time.Advance(TimeSpan.FromSeconds(31));
        await Fail(breaker);
        _time.Advance(TimeSpan.FromSeconds(29));

        Assert.Equal(TimeSpan.FromSeconds(1), (await Assert.ThrowsAsync<OpenCircuitException>(() => Succeed(breaker))).RemainingDuration);
        Assert.Equal([CircuitBreakerState.Open, CircuitBreakerState.HalfOpen, CircuitBreakerState.Open], _transitions);
    }

    [Fact]
    public async Task CallAsync_PastCallTimeout_ThrowsTimeoutCancelsTheCallAndCounts()
    {
        var breaker = Create();
        var cancelled = new TaskCompletionSource();
        var call = breaker.CallAsync(async ct =>
        {
            ct.Register(cancelled.SetResult);
            await Task.Delay(Timeout.Infinite, CancellationToken.None).WaitAsync(ct);
            return 0;
        });

        _time.Advance(TimeSpan.FromSeconds(10));
        var error = await Assert.ThrowsAsync<TimeoutException>(() => call);
        await cancelled.Task;

        Assert.Equal("the call did not complete within the circuit breaker's call-timeout of 10 s", error.Message);
        Assert.Equal(1, breaker.FailureCount);
    }

    [Fact]
    public async Task CallAsync_TimeoutOfTheCallItself_IsAnOrdinaryFailure()
    {
        var breaker = Create();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => breaker.CallAsync<int>(_ => throw new TimeoutException("npgsql: command timed out")));

        Assert.Equal("npgsql: command timed out", error.Message);
        Assert.Equal(1, breaker.FailureCount);
    }

    [Fact]
    public async Task CallAsync_ExceptionsNotCountedOrCallerCancelled_NeverOpen()
    {
        var breaker = Create(e => e is IOException);
        using var cts = new CancellationTokenSource();
        for (var i = 0; i < 5; i++)
        {
            await Fail(breaker, new InvalidDataException("rejected"));
        }

        var pending = breaker.CallAsync(_ => new TaskCompletionSource<int>().Task, cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);

        Assert.Equal((CircuitBreakerState.Closed, 0), (breaker.State, breaker.FailureCount));
    }

    [Fact]
    public async Task Enter_AttemptDisposedWithoutOutcome_FreesTheProbe()
    {
        var breaker = Create();
        await Open(breaker);

        _time.Advance(TimeSpan.FromSeconds(30));
        using (breaker.Enter())
        {
            Assert.Throws<OpenCircuitException>(breaker.Enter);
        }

        using var next = breaker.Enter();
        next.Succeeded();
        Assert.Equal(CircuitBreakerState.Closed, breaker.State);
    }

    [Fact]
    public async Task Report_SuccessOfACallAdmittedBeforeOpening_KeepsItOpen()
    {
        var breaker = Create();
        var straggler = breaker.Enter();
        await Open(breaker);

        straggler.Succeeded();

        Assert.Equal(CircuitBreakerState.Open, breaker.State);
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 0, 1)]
    [InlineData(1, 1, -1)]
    public void Constructor_OutOfRangeLimit_Throws(int failures, int callSeconds, int resetSeconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CircuitBreaker(new CircuitBreakerSettings(failures, TimeSpan.FromSeconds(callSeconds), TimeSpan.FromSeconds(resetSeconds))));
    }
}
