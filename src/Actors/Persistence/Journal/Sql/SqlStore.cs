using System.Data.Common;
using AlgoPerf.Actors.Persistence.Journal.Query;
using AlgoPerf.Contracts.Serialization;

namespace AlgoPerf.Actors.Persistence.Journal.Sql;

/// <summary>
/// One database holding journal, snapshots and leases, as the dialect-neutral parts of the store see it: a way to run
/// a write transaction, a way to read, a way to wait for new events, and the dialect's append. SQLite serializes every
/// write through one writer connection; PostgreSQL uses a pooled data source.
/// </summary>
internal abstract class SqlStore : IAsyncDisposable
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected SqlStore(IEventSerializer serializer, TimeProvider timeProvider, QueryOptions queryOptions)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(queryOptions);
        Serializer = serializer;
        Time = timeProvider;
        QueryOptions = queryOptions;
    }

    public IEventSerializer Serializer { get; }

    public TimeProvider Time { get; }

    public QueryOptions QueryOptions { get; }

    /// <summary>A short name for messages: <c>sqlite</c> or <c>postgres</c>.</summary>
    public abstract string DialectName { get; }

    /// <summary>The row-lock suffix for reading a stream row inside an append (<c> FOR UPDATE</c> or empty).</summary>
    public abstract string LockForUpdate { get; }

    /// <summary>
    /// Runs <paramref name="work"/> inside a write transaction and commits. Transient errors before the work ran are
    /// retried. Throws <see cref="OperationCanceledException"/> only when cancelled before the work started.
    /// </summary>
    public abstract Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Opens a connection for reading (the caller disposes it).</summary>
    public abstract Task<DbConnection> OpenReadConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Appends the events of one validated, serialized batch (stream checks already done) and returns their orderings.</summary>
    public abstract Task<long[]> InsertEventsAsync(DbConnection connection, DbTransaction transaction, SerializedWrite write, long timestampMs);

    /// <summary>Reads a stream's highest sequence number and epoch inside an append (locking the row where the dialect can);
    /// (0, -1) for a new stream.</summary>
    public virtual async Task<(long Highest, long Epoch)> ReadStreamForAppendAsync(DbConnection connection, DbTransaction transaction, string persistenceId)
    {
        using var select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = "SELECT highest_sequence_nr, writer_epoch FROM journal_streams WHERE persistence_id = @pid" + LockForUpdate;
        SqlJournal.AddParameter(select, "pid", persistenceId);
        var reader = await select.ExecuteReaderAsync().ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync().ConfigureAwait(false) ? (reader.GetInt64(0), reader.GetInt64(1)) : (0, -1);
        }
    }

    /// <summary>Records a stream's new highest sequence number and epoch inside an append.</summary>
    public virtual async Task UpsertStreamAsync(DbConnection connection, DbTransaction transaction, string persistenceId, long highest, long epoch)
    {
        using var upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = UpsertStreamSql;
        SqlJournal.AddParameter(upsert, "pid", persistenceId);
        SqlJournal.AddParameter(upsert, "highest", highest);
        SqlJournal.AddParameter(upsert, "epoch", epoch);
        await upsert.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    protected const string UpsertStreamSql = "INSERT INTO journal_streams (persistence_id, highest_sequence_nr, writer_epoch) VALUES (@pid, @highest, @epoch) "
        + "ON CONFLICT (persistence_id) DO UPDATE SET highest_sequence_nr = excluded.highest_sequence_nr, writer_epoch = excluded.writer_epoch";

    /// <summary>Whether <paramref name="exception"/> is a unique-key violation (a duplicate sequence number).</summary>
    public abstract bool IsUniqueViolation(Exception exception);

    /// <summary>Whether <paramref name="exception"/> is transient (worth retrying when nothing was sent).</summary>
    public abstract bool IsTransient(Exception exception);

    /// <summary>Completes when new events may have been committed (in this process, or as told by the database), or after
    /// <paramref name="maxWait"/>.</summary>
    public virtual async Task WaitForChangeAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var changed = Volatile.Read(ref _changed).Task;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(maxWait, Time, cts.Token);
        await Task.WhenAny(changed, delay).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Wakes live queries: new events were committed.</summary>
    public void SignalChanged() => Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public long NowMs() => Time.GetUtcNow().ToUnixTimeMilliseconds();

    public abstract ValueTask DisposeAsync();
}
