using AlgoPerf.Seed.Cli;

namespace AlgoPerf.Seed.Commands.Bench;

/// <summary>
/// <c>./algoperf bench KIND [options]</c>: speed and memory benchmarks (never run as tests). Each kind prints one JSON
/// object of figures with <c>--format json</c>.
/// </summary>
internal sealed class BenchCommand : ICommand
{
    // One entry per benchmark kind; each lives in its own file beside this one.
    private static readonly IBenchmark[] s_benchmarks =
    [
        new OpsBenchmark(),
        new ActorsBenchmark(),
        new JournalBenchmark(),
        new StepBenchmark(),
        new DataParallelBenchmark(),
        new ClusterBenchmark(),
    ];

    public string Name => "bench";

    public string Summary => "run a benchmark: " + string.Join(", ", s_benchmarks.Select(b => b.Name));

    public Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Positionals.Count == 0)
        {
            throw new UsageException($"usage: algoperf bench KIND [options]; kinds: {string.Join(", ", s_benchmarks.Select(b => b.Name))}");
        }

        var kind = args.Positionals[0];
        var bench = s_benchmarks.FirstOrDefault(b => b.Name == kind)
            ?? throw new UsageException($"unknown benchmark '{kind}'; kinds: {string.Join(", ", s_benchmarks.Select(b => b.Name))}");
        return bench.RunAsync(args, context, cancellationToken);
    }
}

/// <summary>One benchmark kind of <c>./algoperf bench</c>.</summary>
internal interface IBenchmark
{
    string Name { get; }

    Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken);
}
