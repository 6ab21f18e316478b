using System.Data.Common;
using AlgoPerf.Actors.Persistence.Journal.Sql;

namespace AlgoPerf.Actors.Leases;

/// <summary>
/// <see cref="ILeaseStore"/> on the journal's database (both dialects): each operation is one conditional upsert or
/// update with <c>RETURNING</c>, run through the store's writer, so a lease change is atomic.
/// </summary>
internal sealed class SqlLeaseStore(SqlStore store) : ILeaseStore
{
    private const string Returning = " RETURNING name, owner, epoch, expires_at_ms";

    /// <inheritdoc />
    public Task<Lease?> TryAcquireAsync(string name, string owner, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        return ExecuteAsync(
            "INSERT INTO leases (name, owner, epoch, expires_at_ms) VALUES (@name, @owner, 1, @expires) "
            + "ON CONFLICT (name) DO UPDATE SET "
            + "epoch = CASE WHEN leases.owner = excluded.owner AND leases.expires_at_ms > @now THEN leases.epoch ELSE leases.epoch + 1 END, "
            + "owner = excluded.owner, expires_at_ms = excluded.expires_at_ms "
            + "WHERE leases.owner IS NULL OR leases.expires_at_ms <= @now OR leases.owner = excluded.owner" + Returning,
            name,
            owner,
            epoch: null,
            ttl,
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<Lease?> RenewAsync(Lease lease, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        return ExecuteAsync(
            "UPDATE leases SET expires_at_ms = @expires WHERE name = @name AND owner = @owner AND epoch = @epoch AND expires_at_ms > @now" + Returning,
            lease.Name,
            lease.Owner ?? string.Empty,
            lease.Epoch,
            ttl,
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> ReleaseAsync(Lease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var released = await ExecuteAsync(
            "UPDATE leases SET owner = NULL, expires_at_ms = @now WHERE name = @name AND owner = @owner AND epoch = @epoch AND expires_at_ms > @now" + Returning,
            lease.Name,
            lease.Owner ?? string.Empty,
            lease.Epoch,
            TimeSpan.Zero,
            cancellationToken).ConfigureAwait(false);
        return released is not null;
    }

    /// <inheritdoc />
    public async Task<Lease?> ReadAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var connection = await store.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name, owner, epoch, expires_at_ms FROM leases WHERE name = @name";
            SqlJournal.AddParameter(command, "name", name);
            return await ReadLeaseAsync(command, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<Lease?> ReadLeaseAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            return new Lease(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.GetInt64(2),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));
        }
    }

    private Task<Lease?> ExecuteAsync(string sql, string name, string owner, long? epoch, TimeSpan ttl, CancellationToken cancellationToken)
        => store.WriteAsync(
            async (connection, transaction) =>
            {
                var now = store.NowMs();
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = sql;
                SqlJournal.AddParameter(command, "name", name);
                SqlJournal.AddParameter(command, "owner", owner);
                SqlJournal.AddParameter(command, "now", now);
                SqlJournal.AddParameter(command, "expires", now + (long)ttl.TotalMilliseconds);
                if (epoch is not null)
                {
                    SqlJournal.AddParameter(command, "epoch", epoch.Value);
                }

                return await ReadLeaseAsync(command, CancellationToken.None).ConfigureAwait(false);
            },
            cancellationToken);
}
