using AlgoPerf.Actors.Persistence.Journal.Query;

namespace AlgoPerf.Actors.Persistence.Journal.Sql;

/// <summary>
/// Decides when a missing ordering is given up on: after it was seen missing on <see cref="QueryOptions.MaxGapTries"/>
/// reads and for at least <see cref="QueryOptions.MaxGapTries"/> x <see cref="QueryOptions.PollInterval"/> of the
/// journal's time (Akka's journal-sequence gap detection: max-tries x query-delay). A skipped ordering is one whose
/// transaction rolled back, or one that took longer than that to commit (then that event is missed by this query).
/// </summary>
internal sealed class GapTracker(TimeProvider timeProvider, QueryOptions options)
{
    private long _missing = -1;
    private int _tries;
    private DateTimeOffset _firstSeen;

    /// <summary>Called each time <paramref name="missingOrdering"/> is seen missing; true when it may be skipped.</summary>
    public bool CanSkip(long missingOrdering)
    {
        var now = timeProvider.GetUtcNow();
        if (missingOrdering != _missing)
        {
            _missing = missingOrdering;
            _tries = 0;
            _firstSeen = now;
        }

        _tries++;
        var waited = now - _firstSeen;
        if (_tries > options.MaxGapTries && waited >= options.PollInterval * options.MaxGapTries)
        {
            _missing = -1;
            return true;
        }

        return false;
    }
}
