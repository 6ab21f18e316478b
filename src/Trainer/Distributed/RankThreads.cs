namespace AlgoPerf.Trainer.Distributed;

/// <summary>Runs the ranks of a gang as threads of this process, one dedicated thread each, as trainer actors run their trials.</summary>
public static class RankThreads
{
    /// <summary>Runs <paramref name="body"/> for every rank on its own thread and returns each rank's result, once every thread has ended.</summary>
    /// <param name="ranks">Ranks (threads).</param>
    /// <param name="body">Rank r's work, on rank r's thread.</param>
    /// <param name="name">The threads' name; the rank is appended.</param>
    /// <exception cref="AggregateException">A rank threw; holds every rank's exception.</exception>
    public static T[] Run<T>(int ranks, Func<int, T> body, string name = "rank")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ranks, 1);
        ArgumentNullException.ThrowIfNull(body);
        var results = new T[ranks];
        var errors = new Exception?[ranks];
        var threads = Enumerable.Range(0, ranks).Select(r => new Thread(() =>
        {
            try
            {
                results[r] = body(r);
            }
#pragma warning disable CA1031 // A rank's failure is reported with the others' once every thread has ended.
            catch (Exception e)
#pragma warning restore CA1031
            {
                errors[r] = e;
            }
        })
        {
            Name = $"{name} {r}",
        }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (errors.Any(e => e is not null))
        {
            throw new AggregateException("a rank failed", errors.OfType<Exception>());
        }

        return results;
    }
}
