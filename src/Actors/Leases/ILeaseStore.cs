namespace AlgoPerf.Actors.Leases;

/// <summary>
/// Named leases with fencing epochs, stored in the journal's database (the database is the bus). A lease gives one
/// owner exclusive use of a resource (a trial, the seed singleton) until it expires; its epoch is the fencing token
/// the owner puts on every journal append (<see cref="Persistence.Journal.AtomicWrite.WriterEpoch"/>), so a former
/// owner that still runs after losing the lease is rejected by the journal.
/// </summary>
/// <remarks>
/// <para><b>Epochs.</b> Per lease name the epoch increases by one with every new tenure: an acquire of a free,
/// released or expired lease. It never decreases (a released lease keeps its row and epoch). Re-acquiring a lease
/// the same owner still holds is a renewal: same epoch, new expiry.</para>
/// <para><b>Time.</b> Expiry is <c>now + ttl</c> on the store's <see cref="TimeProvider"/>; a lease whose expiry is
/// at or before now is free. Hosts sharing a database need clocks synchronised well within the ttl.</para>
/// <para><b>Uncertain outcomes.</b> As with Akka's leases, an acquire that timed out or failed with a connection error
/// may have succeeded. Retrying is safe: the same owner re-acquiring gets the same epoch.</para>
/// </remarks>
public interface ILeaseStore
{
    /// <summary>Acquires the lease for <paramref name="owner"/> if it is free, expired, released or already held by
    /// <paramref name="owner"/>.</summary>
    /// <param name="name">The lease name.</param>
    /// <param name="owner">The would-be owner.</param>
    /// <param name="ttl">How long the lease lasts without renewal.</param>
    /// <param name="cancellationToken">Cancels the call (the outcome is then unknown).</param>
    /// <returns>The lease, or null when another owner holds it.</returns>
    Task<Lease?> TryAcquireAsync(string name, string owner, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>Extends a held lease to <c>now + ttl</c>.</summary>
    /// <param name="lease">The lease as last acquired or renewed.</param>
    /// <param name="ttl">The new time to live.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The renewed lease, or null when it was lost (expired, released, or taken: its epoch changed).</returns>
    Task<Lease?> RenewAsync(Lease lease, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>Releases a held lease so another owner can take it at once (the epoch stays).</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when it was released; false when it was no longer held by this tenure.</returns>
    Task<bool> ReleaseAsync(Lease lease, CancellationToken cancellationToken = default);

    /// <summary>Reads a lease's current state.</summary>
    /// <param name="name">The lease name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The lease (possibly expired or released), or null when it was never acquired.</returns>
    Task<Lease?> ReadAsync(string name, CancellationToken cancellationToken = default);
}
