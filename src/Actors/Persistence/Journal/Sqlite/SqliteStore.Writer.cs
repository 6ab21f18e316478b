using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace AlgoPerf.Actors.Persistence.Journal.Sqlite;

/// <summary>The single writer: a loop that drains queued write requests and commits them in groups.</summary>
internal sealed partial class SqliteStore
{
    public override Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        var item = new WriteItem<T>(work, cancellationToken);
        if (!_queue.Writer.TryWrite(item))
        {
            return Task.FromException<T>(new ObjectDisposedException(nameof(SqliteStore), $"the SQLite store '{_options.Path}' is closed"));
        }

        return item.Task;
    }

    private async Task WriterLoopAsync()
    {
        var group = new List<WriteItem>(_options.MaxWritesPerTransaction);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            while (group.Count < _options.MaxWritesPerTransaction && reader.TryRead(out var item))
            {
                if (item.Token.IsCancellationRequested)
                {
                    item.Cancel();
                }
                else
                {
                    group.Add(item);
                }
            }

            if (group.Count > 0)
            {
                try
                {
                    await CommitGroupAsync(group).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // The connection itself failed (e.g. a savepoint rollback on a broken file): nothing of the group
                    // is known to be stored. Failing them keeps the loop alive for later writes.
                    foreach (var item in group)
                    {
                        item.Fail(new JournalWriteFailedException($"write on '{_options.Path}' failed; the outcome is unknown: {ex.Message}", ex));
                    }
                }
            }
        }
    }

    private async Task CommitGroupAsync(List<WriteItem> group)
    {
        SqliteTransaction transaction;
        try
        {
            // BEGIN IMMEDIATE takes the database's write lock up front (waiting busy_timeout for other processes), so
            // nothing after it can fail with SQLITE_BUSY; retrying it is safe because nothing has been written yet.
            transaction = await _retry.ExecuteAsync(_ => ValueTask.FromResult(_writer.BeginTransaction(deferred: false))).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            foreach (var item in group)
            {
                item.Fail(new JournalWriteFailedException($"cannot start a write transaction on '{_options.Path}': {ex.Message}", ex));
            }

            return;
        }

        var succeeded = new List<WriteItem>(group.Count);
        var useSavepoints = group.Count > 1;
        using (transaction)
        {
            foreach (var item in group)
            {
                try
                {
                    if (useSavepoints)
                    {
                        transaction.Save("w");
                    }

                    await item.RunAsync(_writer, transaction).ConfigureAwait(false);
                    if (useSavepoints)
                    {
                        transaction.Release("w");
                    }

                    succeeded.Add(item);
                }
                catch (Exception ex)
                {
                    if (useSavepoints)
                    {
                        RollbackSavepoint(transaction);
                    }

                    item.Fail(ex);
                }
            }

            try
            {
                if (succeeded.Count > 0)
                {
                    transaction.Commit();
                }
                else
                {
                    transaction.Rollback();
                }
            }
            catch (Exception ex)
            {
                foreach (var item in succeeded)
                {
                    item.Fail(new JournalWriteFailedException($"commit on '{_options.Path}' failed; the outcome is unknown: {ex.Message}", ex));
                }

                return;
            }
        }

        if (succeeded.Count > 0)
        {
            SignalChanged();
        }

        foreach (var item in succeeded)
        {
            item.Complete();
        }
    }

    private static void RollbackSavepoint(SqliteTransaction transaction)
    {
        transaction.Rollback("w");
        transaction.Release("w");
    }

    private abstract class WriteItem(CancellationToken token)
    {
        public CancellationToken Token { get; } = token;

        public abstract Task RunAsync(DbConnection connection, DbTransaction transaction);

        public abstract void Complete();

        public abstract void Fail(Exception exception);

        public abstract void Cancel();
    }

    private sealed class WriteItem<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken token) : WriteItem(token)
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _completion.Task;

        public override async Task RunAsync(DbConnection connection, DbTransaction transaction) => _result = await work(connection, transaction).ConfigureAwait(false);

        public override void Complete() => _completion.TrySetResult(_result!);

        public override void Fail(Exception exception) => _completion.TrySetException(exception);

        public override void Cancel() => _completion.TrySetCanceled(Token);
    }
}
