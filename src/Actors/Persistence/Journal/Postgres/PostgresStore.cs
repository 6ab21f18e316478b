using System.Data.Common;
using AlgoPerf.Actors.Persistence.Journal.Query;
using AlgoPerf.Contracts.Serialization;
using AlgoPerf.Actors.Persistence.Journal.Sql;
using Npgsql;
using NpgsqlTypes;
using Polly;
using Polly.Retry;

namespace AlgoPerf.Actors.Persistence.Journal.Postgres;

/// <summary>
/// The PostgreSQL store: one <see cref="NpgsqlDataSource"/>, a transaction per write (the stream row locked
/// <c>FOR UPDATE</c>, so one stream's appends serialize while different streams' run in parallel), LISTEN/NOTIFY to wake
/// live queries. Errors the server reports as transient (the transaction was rolled back) are retried.
/// </summary>
internal sealed partial class PostgresStore : SqlStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ResiliencePipeline _retry;
    private readonly string _channel;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _listenerGate = new();
    private Task? _listener;

    private PostgresStore(NpgsqlDataSource dataSource, string channel, int maxRetries, IEventSerializer serializer, TimeProvider timeProvider, QueryOptions queryOptions)
        : base(serializer, timeProvider, queryOptions)
    {
        _dataSource = dataSource;
        _channel = channel;
        _retry = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<PostgresException>(e => e.IsTransient),
                MaxRetryAttempts = Math.Max(1, maxRetries),
                Delay = TimeSpan.FromMilliseconds(20),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .Build();
    }

    public override string DialectName => "postgres";

    public override string LockForUpdate => " FOR UPDATE";

    /// <summary>Builds the data source, creates the schema when one is named, and applies the schema scripts.</summary>
    public static async Task<PostgresStore> OpenAsync(PostgresStoreOptions options, IEventSerializer serializer, TimeProvider timeProvider, QueryOptions queryOptions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.ConnectionString);
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        var schema = options.Schema;
        if (schema is not null)
        {
            if (schema.Length == 0 || schema.Length > 40 || !schema.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                throw new ArgumentException($"postgres schema '{schema}' must be 1-40 characters of a-z, 0-9 and _", nameof(options));
            }

            await using (var bootstrap = NpgsqlDataSource.Create(options.ConnectionString))
            {
                await using var command = bootstrap.CreateCommand($"CREATE SCHEMA IF NOT EXISTS {schema}");
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            builder.ConnectionStringBuilder.SearchPath = schema;
        }

        var dataSource = builder.Build();
        try
        {
            var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await SchemaMigrator.ApplyAsync(
                    connection,
                    "Postgres",
                    "SELECT pg_advisory_xact_lock(hashtext('algoperf.journal.schema:' || current_schema()))",
                    timeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
                    cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new PostgresStore(dataSource, "algoperf_journal_" + (schema ?? "public"), options.MaxRetries, serializer, timeProvider, queryOptions);
    }

    public override async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        cancellationToken.ThrowIfCancellationRequested();
        var started = false;
        return await _retry.ExecuteAsync(
            async ct =>
            {
                // The token only guards opening the connection: once the transaction runs, its outcome is reported
                // rather than abandoned half way.
                var connection = await _dataSource.OpenConnectionAsync(started ? CancellationToken.None : ct).ConfigureAwait(false);
                started = true;
                await using (connection.ConfigureAwait(false))
                {
                    var transaction = await connection.BeginTransactionAsync(CancellationToken.None).ConfigureAwait(false);
                    await using (transaction.ConfigureAwait(false))
                    {
                        var result = await work(connection, transaction).ConfigureAwait(false);
                        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                        return result;
                    }
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    public override async Task<DbConnection> OpenReadConnectionAsync(CancellationToken cancellationToken)
        => await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public override async Task<long[]> InsertEventsAsync(DbConnection connection, DbTransaction transaction, SerializedWrite write, long timestampMs)
    {
        var count = write.Events.Count;
        var seqs = new long[count];
        var typeTags = new string[count];
        var versions = new int[count];
        var tagsJson = new string?[count];
        var payloads = new byte[count][];
        var tagSeqs = new List<long>();
        var tagNames = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var e = write.Events[i];
            seqs[i] = e.SequenceNr;
            typeTags[i] = e.Payload.TypeTag;
            versions[i] = e.Payload.TypeVersion;
            tagsJson[i] = e.TagsJson;
            payloads[i] = e.Payload.Utf8Json;
            foreach (var tag in e.Tags.Distinct(StringComparer.Ordinal))
            {
                tagSeqs.Add(e.SequenceNr);
                tagNames.Add(tag);
            }
        }

        var batch = ((NpgsqlConnection)connection).CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            batch.Transaction = (NpgsqlTransaction)transaction;
            var insert = new NpgsqlBatchCommand(
                "WITH ins AS (INSERT INTO journal_events (persistence_id, sequence_nr, writer_epoch, timestamp_ms, type_tag, type_version, tags, payload) "
                + "SELECT $1, s.seq, $2, $3, s.tag, s.ver, s.tags, s.payload FROM unnest($4::bigint[], $5::text[], $6::int[], $7::text[], $8::bytea[]) AS s(seq, tag, ver, tags, payload) "
                + "ORDER BY s.seq RETURNING ordering, sequence_nr), "
                + "tagged AS (INSERT INTO journal_tags (tag, ordering) SELECT t.tag, ins.ordering FROM unnest($9::bigint[], $10::text[]) AS t(seq, tag) JOIN ins ON ins.sequence_nr = t.seq) "
                + "SELECT ordering FROM ins ORDER BY sequence_nr");
            insert.Parameters.Add(new NpgsqlParameter { Value = write.PersistenceId, NpgsqlDbType = NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = write.WriterEpoch, NpgsqlDbType = NpgsqlDbType.Bigint });
            insert.Parameters.Add(new NpgsqlParameter { Value = timestampMs, NpgsqlDbType = NpgsqlDbType.Bigint });
            insert.Parameters.Add(new NpgsqlParameter { Value = seqs, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            insert.Parameters.Add(new NpgsqlParameter { Value = typeTags, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = versions, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
            insert.Parameters.Add(new NpgsqlParameter { Value = tagsJson, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = payloads, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            insert.Parameters.Add(new NpgsqlParameter { Value = tagSeqs.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            insert.Parameters.Add(new NpgsqlParameter { Value = tagNames.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            batch.BatchCommands.Add(insert);
            var notify = new NpgsqlBatchCommand("SELECT pg_notify($1, '')");
            notify.Parameters.Add(new NpgsqlParameter { Value = _channel, NpgsqlDbType = NpgsqlDbType.Text });
            batch.BatchCommands.Add(notify);

            var orderings = new long[count];
            var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var i = 0;
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    orderings[i++] = reader.GetInt64(0);
                }

                if (i != count)
                {
                    throw new InvalidOperationException($"insert into journal_events returned {i} orderings for {count} events");
                }
            }

            return orderings;
        }
    }

    public override bool IsUniqueViolation(Exception exception) => exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override bool IsTransient(Exception exception) => exception is PostgresException { IsTransient: true };

    public override async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync().ConfigureAwait(false);
        Task? listener;
        lock (_listenerGate)
        {
            listener = _listener;
        }

        if (listener is not null)
        {
            try
            {
                await listener.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The listener ends by cancellation on dispose.
            }
        }

        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _disposed.Dispose();
    }
}
