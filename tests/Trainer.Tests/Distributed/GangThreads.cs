namespace AlgoPerf.Trainer.Tests.Distributed;

/// <summary>Runs the ranks of a gang as threads of the test process, as trainer actors run their trials.</summary>
internal static class GangThreads
{
    /// <summary>Runs <paramref name="body"/> for every rank on its own thread and returns each rank's result; any rank's exception fails the call with all of them.</summary>
    public static T[] OnRanks<T>(int ranks, Func<int, T> body)
    {
        var results = new T[ranks];
        var errors = new Exception?[ranks];
        var threads = Enumerable.Range(0, ranks).Select(r => new Thread(() =>
        {
            try
            {
                results[r] = body(r);
            }
            catch (Exception e)
            {
                errors[r] = e;
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (errors.Any(e => e is not null))
        {
            throw new AggregateException(errors.OfType<Exception>());
        }

        return results;
    }

    /// <summary>Like <see cref="OnRanks{T}"/>, but returns each rank's result or exception.</summary>
    public static (T? Result, Exception? Error)[] OnRanksCatching<T>(int ranks, Func<int, T> body) =>
        OnRanks(ranks, r =>
        {
            try
            {
                return ((T?)body(r), (Exception?)null);
            }
            catch (Exception e)
            {
                return ((T?)default, (Exception?)e);
            }
        });
}
