namespace AlgoPerf.Actors.Persistence.Journal.Query;

/// <summary>Tuning of the journal queries (HOCON <c>algoperf.persistence.query</c>).</summary>
/// <param name="PollInterval">How often a live query (or a query waiting on a gap) re-reads.</param>
/// <param name="MaxGapTries">How many reads a missing ordering is waited for before it is skipped.</param>
/// <param name="BatchSize">Rows per read.</param>
public sealed record QueryOptions(TimeSpan PollInterval, int MaxGapTries, int BatchSize)
{
    /// <summary>Defaults: poll every 100 ms, wait 10 reads for a gap (Akka's max-tries), 1000 rows per read.</summary>
    public static QueryOptions Default { get; } = new(TimeSpan.FromMilliseconds(100), 10, 1000);
}
