namespace AlgoPerf.Actors.Supervision;

/// <summary>Restarts of one child inside the current retry window (Akka's <c>ChildRestartStats</c>).</summary>
public sealed class ChildRestartStats
{
    private int _retries;
    private DateTimeOffset? _windowStart;

    /// <summary>Restarts counted in the current window.</summary>
    public int RetriesInWindow => _retries;

    /// <summary>
    /// Counts one more restart and says whether it is allowed: <paramref name="maxNrOfRetries"/> -1 means no limit
    /// on the count; a null <paramref name="window"/> means the count never resets. A window without a count allows
    /// one restart per window (as Akka).
    /// </summary>
    public bool RequestRestartPermission(int maxNrOfRetries, TimeSpan? window, DateTimeOffset now)
    {
        if (maxNrOfRetries == 0)
        {
            return false;
        }

        if (window is null)
        {
            if (maxNrOfRetries < 0)
            {
                return true;
            }

            _retries++;
            return _retries <= maxNrOfRetries;
        }

        var limit = maxNrOfRetries < 0 ? 1 : maxNrOfRetries;
        var start = _windowStart ?? now;
        if (now - start <= window.Value)
        {
            _retries++;
            _windowStart = start;
            return _retries <= limit;
        }

        _retries = 1;
        _windowStart = now;
        return true;
    }
}
