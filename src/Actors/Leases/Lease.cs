namespace AlgoPerf.Actors.Leases;

/// <summary>A lease's state.</summary>
/// <param name="Name">The lease name.</param>
/// <param name="Owner">The holder; null when released.</param>
/// <param name="Epoch">The tenure's fencing epoch (from 1, +1 per tenure).</param>
/// <param name="ExpiresAt">When the tenure ends without renewal.</param>
public sealed record Lease(string Name, string? Owner, long Epoch, DateTimeOffset ExpiresAt)
{
    /// <summary>Whether the lease is held at <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    /// <returns>True when it has an owner and has not expired.</returns>
    public bool IsHeldAt(DateTimeOffset now) => Owner is not null && ExpiresAt > now;
}
