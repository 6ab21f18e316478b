namespace AlgoPerf.Actors.Persistence.Journal.Postgres;

/// <summary>Settings of the PostgreSQL store (HOCON <c>algoperf.persistence.postgres</c>).</summary>
/// <param name="ConnectionString">An Npgsql connection string.</param>
public sealed record PostgresStoreOptions(string ConnectionString)
{
    /// <summary>
    /// The schema holding the tables (created when missing); null for the connection's default search path. Separate
    /// schemas keep separate runs (and test classes) in one database apart, including their NOTIFY channel.
    /// </summary>
    public string? Schema { get; init; }

    /// <summary>Transient-error retries (PostgresException.IsTransient, e.g. serialization failure, deadlock). Default 5.</summary>
    public int MaxRetries { get; init; } = 5;
}
