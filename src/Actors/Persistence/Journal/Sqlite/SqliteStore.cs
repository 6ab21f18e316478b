using System.Data.Common;
using System.Threading.Channels;
using AlgoPerf.Actors.Persistence.Journal.Query;
using AlgoPerf.Actors.Persistence.Journal.Serialization;
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
    private readonly SqliteStoreOptions _options;
    private readonly string _readConnectionString;
    private readonly SqliteConnection _writer;
    private readonly Channel<WriteItem> _queue = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ResiliencePipeline _retry;
    private readonly Task _writerLoop;
    private SqliteCommand? _insertEvent;
    private SqliteCommand? _insertTag;

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

    public override async Task<long[]> InsertEventsAsync(DbConnection connection, DbTransaction transaction, SerializedWrite write, long timestampMs)
    {
        // Runs only on the writer loop, so the prepared commands are never shared between threads.
        var insert = _insertEvent ??= Prepare(
            "INSERT INTO journal_events (persistence_id, sequence_nr, writer_epoch, timestamp_ms, type_tag, type_version, tags, payload) "
            + "VALUES (@pid, @seq, @epoch, @ts, @tag, @version, @tags, @payload) RETURNING ordering",
            "pid", "seq", "epoch", "ts", "tag", "version", "tags", "payload");
        insert.Transaction = (SqliteTransaction)transaction;
        var p = insert.Parameters;
        p[0].Value = write.PersistenceId;
        p[2].Value = write.WriterEpoch;
        p[3].Value = timestampMs;
        var orderings = new long[write.Events.Count];
        for (var i = 0; i < orderings.Length; i++)
        {
            var e = write.Events[i];
            p[1].Value = e.SequenceNr;
            p[4].Value = e.Payload.TypeTag;
            p[5].Value = e.Payload.TypeVersion;
            p[6].Value = (object?)e.TagsJson ?? DBNull.Value;
            p[7].Value = e.Payload.Utf8Json;
            orderings[i] = (long)(await insert.ExecuteScalarAsync().ConfigureAwait(false))!;
            if (e.Tags.Count > 0)
            {
                var tag = _insertTag ??= Prepare("INSERT INTO journal_tags (tag, ordering) VALUES (@tag, @ordering)", "tag", "ordering");
                tag.Transaction = (SqliteTransaction)transaction;
                foreach (var name in e.Tags.Distinct(StringComparer.Ordinal))
                {
                    tag.Parameters[0].Value = name;
                    tag.Parameters[1].Value = orderings[i];
                    await tag.ExecuteNonQueryAsync().ConfigureAwait(false);
                }
            }
        }

        return orderings;
    }

    public override bool IsUniqueViolation(Exception exception)
        => exception is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };

    public override bool IsTransient(Exception exception) => exception is SqliteException e && IsTransientCode(e);

    public override async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writerLoop.ConfigureAwait(false);
        _insertEvent?.Dispose();
        _insertTag?.Dispose();
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

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _writer.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }

        return command;
    }
}
