using AlgoPerf.Actors.Leases;
using AlgoPerf.Actors.Persistence.Journal;

namespace AlgoPerf.Actors.Tests.Persistence.Journal;

/// <summary>Leases: acquire, renew, release, expire; monotonically increasing epochs; fencing with the epoch.</summary>
public abstract partial class JournalConformanceTests
{
    private static readonly TimeSpan s_ttl = TimeSpan.FromSeconds(10);

    private ILeaseStore Leases => Store.Leases;

    [StoreFact]
    public async Task Lease_AcquireFree_GivesEpochOneAndExpiry()
    {
        var lease = await Leases.TryAcquireAsync("trial-1", "worker-a", s_ttl);

        Assert.Equal(new Lease("trial-1", "worker-a", 1, Time.GetUtcNow() + s_ttl), lease);
        Assert.Equal(lease, await Leases.ReadAsync("trial-1"));
        Assert.Null(await Leases.ReadAsync("trial-2"));
    }

    [StoreFact]
    public async Task Lease_HeldByOther_CannotBeAcquired()
    {
        await Leases.TryAcquireAsync("trial-1", "worker-a", s_ttl);
        Time.Advance(s_ttl - TimeSpan.FromMilliseconds(1));

        Assert.Null(await Leases.TryAcquireAsync("trial-1", "worker-b", s_ttl));
        Assert.Equal("worker-a", (await Leases.ReadAsync("trial-1"))?.Owner);
    }

    [StoreFact]
    public async Task Lease_ReacquireBySameOwner_KeepsEpochAndExtends()
    {
        await Leases.TryAcquireAsync("trial-1", "worker-a", s_ttl);
        Time.Advance(TimeSpan.FromSeconds(5));

        var again = await Leases.TryAcquireAsync("trial-1", "worker-a", s_ttl);

        Assert.Equal(new Lease("trial-1", "worker-a", 1, Time.GetUtcNow() + s_ttl), again);
    }

    [StoreFact]
    public async Task Lease_Expired_IsTakenWithNextEpochAndOldRenewFails()
    {
        var first = await Leases.TryAcquireAsync("trial-1", "worker-a", s_ttl);
        Time.Advance(s_ttl);

        var second = await Leases.TryAcquireAsync("trial-1", "worker-b", s_ttl);

        Assert.Equal(2, second?.Epoch);
        Assert.Null(await Leases.RenewAsync(first!, s_ttl));
        Assert.False(await Leases.ReleaseAsync(first!));
        Assert.Equal("worker-b", (await Leases.ReadAsync("trial-1"))?.Owner);
    }

    [StoreFact]
    public async Task Lease_Renew_ExtendsFromNow()
    {
        var lease = await Leases.TryAcquireAsync("trial-1", "worker-a", s_ttl);
        Time.Advance(TimeSpan.FromSeconds(9));

        var renewed = await Leases.RenewAsync(lease!, s_ttl);
        Time.Advance(TimeSpan.FromSeconds(9));

        Assert.Equal(Time.GetUtcNow() + TimeSpan.FromSeconds(1), renewed?.ExpiresAt);
        Assert.Null(await Leases.TryAcquireAsync("trial-1", "worker-b", s_ttl));
    }

    [StoreFact]
    public async Task Lease_Release_FreesAtOnceAndNextTenureGetsHigherEpoch()
    {
        var lease = await Leases.TryAcquireAsync("trial-1", "worker-a", s_ttl);

        Assert.True(await Leases.ReleaseAsync(lease!));
        var released = await Leases.ReadAsync("trial-1");
        var next = await Leases.TryAcquireAsync("trial-1", "worker-a", s_ttl);

        Assert.Null(released?.Owner);
        Assert.Equal(1, released?.Epoch);
        Assert.Equal(2, next?.Epoch);
        Assert.False(await Leases.ReleaseAsync(lease!));
    }

    [StoreFact]
    public async Task Lease_EpochAsWriterEpoch_FencesTheFormerOwner()
    {
        var a = await Leases.TryAcquireAsync("stream-lease", "worker-a", s_ttl);
        await WriteCountedAsync("leased", 1, 1, epoch: a!.Epoch);
        Time.Advance(s_ttl);
        var b = await Leases.TryAcquireAsync("stream-lease", "worker-b", s_ttl);
        await WriteCountedAsync("leased", 2, 2, epoch: b!.Epoch);

        var error = await Assert.ThrowsAsync<JournalFencedException>(() => WriteCountedAsync("leased", 3, 3, epoch: a.Epoch));

        Assert.Equal(b.Epoch, error.CurrentEpoch);
    }

    [StoreFact]
    public async Task Lease_ConcurrentAcquires_ExactlyOneWins()
    {
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Leases.TryAcquireAsync("contended", $"worker-{i}", s_ttl)));

        var winner = Assert.Single(attempts, a => a is not null);
        Assert.Equal(1, winner!.Epoch);
    }
}
