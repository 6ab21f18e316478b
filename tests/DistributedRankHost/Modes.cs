using AlgoPerf.Trainer.Distributed;

namespace AlgoPerf.DistributedRankHost;

/// <summary>The host's modes by name.</summary>
internal static class Modes
{
    public static IReadOnlyDictionary<string, Action<RankArguments>> All { get; } = new Dictionary<string, Action<RankArguments>>(StringComparer.Ordinal)
    {
        ["parity"] = Parity,
        ["stall"] = Stall,
    };

    private static void Parity(RankArguments a)
    {
        using var reducer = a.Connect();
        var parameters = ParityTraining.Train(reducer, start: null);
        Console.Out.WriteLine($"parameters {ParityTraining.Digest(parameters)}");
        Console.Out.Flush();
    }

    private static void Stall(RankArguments a)
    {
        using var reducer = a.Connect();
        var handshake = new double[] { a.Rank };
        reducer.AllReduce(handshake, ReduceOp.Max);
        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        Console.In.ReadToEnd();
    }
}
