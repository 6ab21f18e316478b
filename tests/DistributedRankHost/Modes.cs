using System.Globalization;
using AlgoPerf.Trainer.Distributed;
using AlgoPerf.Trainer.Running;
using AlgoPerf.Trainer.Tests.Running;
using AlgoPerf.Trainer.Timing;

namespace AlgoPerf.DistributedRankHost;

/// <summary>The host's modes by name.</summary>
internal static class Modes
{
    public static IReadOnlyDictionary<string, Action<RankArguments>> All { get; } = new Dictionary<string, Action<RankArguments>>(StringComparer.Ordinal)
    {
        ["parity"] = Parity,
        ["stall"] = Stall,
        ["trial"] = Trial,
    };

    /// <summary>
    /// Rank R of a real trial (the runner tests' momentum submission on fmnist_mlp, an eval and a checkpoint after every
    /// step) in --run-dir, to --steps steps; prints "outcome REASON STEP resumed FROM".
    /// </summary>
    private static void Trial(RankArguments a)
    {
        using var reducer = a.Connect();
        var steps = long.Parse(a.Option("--steps"), CultureInfo.InvariantCulture);
        var runner = new TrialRunner(FmnistFixture.Options(a.Option("--run-dir")));
        var result = runner.Run(FmnistFixture.Workload, new MomentumSubmission { DropoutRate = 0 }, FmnistFixture.Request(steps), gang: reducer);
        Console.Out.WriteLine($"outcome {result.Outcome.Reason.ToWire()} {result.Outcome.GlobalStep} resumed {result.ResumedFromStep}");
        Console.Out.Flush();
    }

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
