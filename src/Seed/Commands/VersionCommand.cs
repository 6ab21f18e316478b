using AlgoPerf.Seed.Cli;
using AlgoPerf.Torch;

namespace AlgoPerf.Seed.Commands;

/// <summary><c>./algoperf version</c>: the program's and libtorch's versions, and libtorch's thread count.</summary>
internal sealed class VersionCommand : ICommand
{
    public string Name => "version";

    public string Summary => "print versions of algoperf and of the libtorch it runs on";

    public Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureAllUsed();
        var asm = typeof(VersionCommand).Assembly.GetName().Version;
        context.Out.WriteLine($"algoperf {asm}");
        context.Out.WriteLine($"libtorch {TorchRuntime.Version} (intra-op threads: {TorchRuntime.NumThreads})");
        return Task.FromResult(0);
    }
}
