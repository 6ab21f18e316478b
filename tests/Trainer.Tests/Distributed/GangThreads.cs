using AlgoPerf.Trainer.Distributed;

namespace AlgoPerf.Trainer.Tests.Distributed;

/// <summary>Runs the ranks of a gang as threads of the test process, as trainer actors run their trials.</summary>
internal static class GangThreads
{
    /// <summary>Like <see cref="RankThreads.Run{T}"/>, but returns each rank's result or exception.</summary>
    public static (T? Result, Exception? Error)[] OnRanksCatching<T>(int ranks, Func<int, T> body) =>
        RankThreads.Run(ranks, r =>
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
