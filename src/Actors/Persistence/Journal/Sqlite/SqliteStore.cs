using System.Data.Common;
using System.Threading.Channels;
using AlgoPerf.Actors.Persistence.Journal.Query;
using AlgoPerf.Contracts.Serialization;
using AlgoPerf.Actors.Persistence.Journal.Sql;
using Microsoft.Data.Sqlite;
using Polly;
using Polly.Retry;

namespace AlgoPerf.Actors.Persistence.Journal.Sqlite;

/// <summary>
/// The SQLite store: WAL mode, a busy timeout, and ONE writer connection through which every write of the process
/// (journal, snapshots, leases) is serialized, so journal and snapshots share a file without lock collisions
/// (akka.net#3538). Concurrent write requests are committed together (group commit, each in its own savepoint), which
/// amortizes the fsync. Reads use pooled connections; WAL lets them run beside the writer.
/// </summary>
internal sealed partial class SqliteStore : SqlStore
{
    /// <summary>Events per multi-row INSERT (8 columns each, far below SQLite's parameter limit).</summary>
    private const int RowsPerInsert = 32;

    private readonly SqliteStoreOptions _options;
    private readonly string _readConnectionString;
    private readonly SqliteConnection _writer;
    private readonly Channel<WriteItem> _queue = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ResiliencePipeline _retry;
    private readonly Task _writerLoop;
    private readonly SqliteCommand?[] _insertEvents = new SqliteCommand?[RowsPerInsert + 1];
    private SqliteCommand? _insertTag;
    private SqliteCommand? _selectStream;
    private SqliteCommand? _upsertStream;

    private SqliteStore(SqliteStoreOptions options, SqliteConnection writer, string readConnectionString, IEventSerializer serializer, TimeProvider timeProvider, QueryOptions queryOptions)
        : base(serializer, timeProvider, queryOptions)
    {
        _options = options;
        _writer = writer;
        _readConnectionString = readConnectionString;
        _retry = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<SqliteException>(IsTransientCode),
                MaxRetryAttempts = Math.Max(1, options.MaxRetries),
                Delay = TimeSpan.FromMilliseconds(20),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .Build();
        _writerLoop = Task.Run(WriterLoopAsync);
    }

    public override string DialectName => "sqlite";

    public override string LockForUpdate => string.Empty;

    /// <summary>Opens (creating when missing) the database file, switches it to WAL and applies the schema.</summary>
    public static async Task<SqliteStore> OpenAsync(SqliteStoreOptions options, IEventSerializer serializer, TimeProvider timeProvider, QueryOptions queryOptions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Path);
        if (options.Synchronous is not ("FULL" or "NORMAL" or "EXTRA"))
        {
            throw new ArgumentException($"sqlite synchronous must be FULL, NORMAL or EXTRA, not '{options.Synchronous}'", nameof(options));
        }

        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(options.Path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        };
        var connectionString = builder.ToString();
        var writer = new SqliteConnection(connectionString);
        try
        {
            await writer.OpenAsync(cancellationToken).ConfigureAwait(false);
            var busyMs = (long)options.BusyTimeout.TotalMilliseconds;
            await ExecutePragmaAsync(writer, "PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
            await ExecutePragmaAsync(writer, $"PRAGMA busy_timeout = {busyMs}; PRAGMA synchronous = {options.Synchronous};", cancellationToken).ConfigureAwait(false);
            await SchemaMigrator.ApplyAsync(writer, "Sqlite", lockStatement: null, timeProvider.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await writer.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new SqliteStore(options, writer, connectionString, serializer, timeProvider, queryOptions);
    }

    public override async Task<DbConnection> OpenReadConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_readConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // The three overrides below run only on the writer loop, so their prepared commands are never shared between
    // threads. Microsoft.Data.Sqlite executes synchronously anyway; the synchronous calls skip the Task wrappers.
    public override Task<(long Highest, long Epoch)> ReadStreamForAppendAsync(DbConnection connection, DbTransaction transaction, string persistenceId)
    {
        var select = _selectStream ??= Prepare("SELECT highest_sequence_nr, writer_epoch FROM journal_streams WHERE persistence_id = @pid", "pid");
        select.Transaction = (SqliteTransaction)transaction;
        select.Parameters[0].Value = persistenceId;
        using var reader = select.ExecuteReader();
        return Task.FromResult(reader.Read() ? (reader.GetInt64(0), reader.GetInt64(1)) : (0L, -1L));
    }

    public override Task UpsertStreamAsync(DbConnection connection, DbTransaction transaction, string persistenceId, long highest, long epoch)
    {
        var upsert = _upsertStream ??= Prepare(UpsertStreamSql, "pid", "highest", "epoch");
        upsert.Transaction = (SqliteTransaction)transaction;
        upsert.Parameters[0].Value = persistenceId;
        upsert.Parameters[1].Value = highest;
        upsert.Parameters[2].Value = epoch;
        upsert.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public override Task<long[]> InsertEventsAsync(DbConnection connection, DbTransaction transaction, SerializedWrite write, long timestampMs)
    {
        // Up to RowsPerInsert events go in one multi-row INSERT: one statement execution (and one sqlite_sequence
        // update) per chunk instead of per event. ordering is the rowid (INTEGER PRIMARY KEY AUTOINCREMENT) and this is
        // the only writer, so the rows of one statement get consecutive orderings ending at the last inserted rowid.
        var sqliteTransaction = (SqliteTransaction)transaction;
        var orderings = new long[write.Events.Count];
        for (var start = 0; start < orderings.Length; start += RowsPerInsert)
        {
            var count = Math.Min(RowsPerInsert, orderings.Length - start);
            var insert = _insertEvents[count] ??= PrepareInsert(count);
            insert.Transaction = sqliteTransaction;
            var p = insert.Parameters;
            p[0].Value = write.PersistenceId;
            p[1].Value = write.WriterEpoch;
            p[2].Value = timestampMs;
            for (var r = 0; r < count; r++)
            {
                var e = write.Events[start + r];
                var b = 3 + (r * 5);
                p[b].Value = e.SequenceNr;
                p[b + 1].Value = e.Payload.TypeTag;
                p[b + 2].Value = e.Payload.TypeVersion;
                p[b + 3].Value = (object?)e.TagsJson ?? DBNull.Value;
                p[b + 4].Value = e.Payload.Utf8Json;
            }

            var inserted = insert.ExecuteNonQuery();
            if (inserted != count)
            {
                throw new InvalidOperationException($"inserting {count} events into '{write.PersistenceId}' changed {inserted} rows");
            }

            var last = SQLitePCL.raw.sqlite3_last_insert_rowid(_writer.Handle);
            for (var r = 0; r < count; r++)
            {
                orderings[start + r] = last - count + 1 + r;
            }
        }

        for (var i = 0; i < orderings.Length; i++)
        {
            var e = write.Events[i];
            if (e.Tags.Count > 0)
            {
                var tag = _insertTag ??= Prepare("INSERT INTO journal_tags (tag, ordering) VALUES (@tag, @ordering)", "tag", "ordering");
                tag.Transaction = sqliteTransaction;
                foreach (var name in e.Tags.Distinct(StringComparer.Ordinal))
                {
                    tag.Parameters[0].Value = name;
                    tag.Parameters[1].Value = orderings[i];
                    tag.ExecuteNonQuery();
                }
            }
        }

        return Task.FromResult(orderings);
    }

    public override bool IsUniqueViolation(Exception exception)
        => exception is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };

    public override bool IsTransient(Exception exception) => exception is SqliteException e && IsTransientCode(e);

    public override async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writerLoop.ConfigureAwait(false);
        foreach (var insert in _insertEvents)
        {
            insert?.Dispose();
        }

        _insertTag?.Dispose();
        _selectStream?.Dispose();
        _upsertStream?.Dispose();
        await _writer.DisposeAsync().ConfigureAwait(false);
        using var pooled = new SqliteConnection(_readConnectionString);
        SqliteConnection.ClearPool(pooled);
    }

    private static bool IsTransientCode(SqliteException exception) => exception.SqliteErrorCode is 5 or 6;

    private static async Task ExecutePragmaAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A command on the writer connection with parameters @name (the prefix spares Microsoft.Data.Sqlite the
    /// search for a prefixed name on every execution).</summary>
    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _writer.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter("@" + name, null));
        }

        return command;
    }

    /// <summary>The insert of <paramref name="rows"/> events of one stream: @pid, @epoch, @ts, then per row @sN, @gN
    /// (type tag), @vN (type version), @tN (tags), @pN (payload).</summary>
    private SqliteCommand PrepareInsert(int rows)
    {
        var sql = new System.Text.StringBuilder("INSERT INTO journal_events (persistence_id, sequence_nr, writer_epoch, timestamp_ms, type_tag, type_version, tags, payload) VALUES ");
        var names = new List<string> { "pid", "epoch", "ts" };
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? string.Empty : ", ").Append(System.Globalization.CultureInfo.InvariantCulture, $"(@pid, @s{r}, @epoch, @ts, @g{r}, @v{r}, @t{r}, @p{r})");
            names.AddRange([$"s{r}", $"g{r}", $"v{r}", $"t{r}", $"p{r}"]);
        }

        return Prepare(sql.ToString(), [.. names]);
    }
}
