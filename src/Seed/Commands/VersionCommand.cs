using AlgoPerf.Seed.Cli;
using AlgoPerf.Trainer.Running;
using TorchSharp;

namespace AlgoPerf.Seed.Commands;

/// <summary>
/// <c>./algoperf version</c>: the program's version; TorchSharp's and LibTorch's, the intra-op thread count, the CUDA
/// devices; and whether the build applied the libstdc++ compatibility step to TorchSharp's native library.
/// </summary>
internal sealed class VersionCommand : ICommand
{
    public string Name => "version";

    public string Summary => "print versions of algoperf, TorchSharp and LibTorch, and whether the compatibility step was applied";

    public Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureAllUsed();
        var asm = typeof(VersionCommand).Assembly.GetName().Version;
        context.Out.WriteLine($"algoperf {asm}");
        TorchEnvironment.EnsureLoaded();
        context.Out.WriteLine($"TorchSharp {TorchEnvironment.TorchSharpVersion}, LibTorch {TorchEnvironment.LibTorchVersion} (intra-op threads: {torch.get_num_threads()}, CUDA devices: {TorchEnvironment.CudaDevices})");
        var (applied, reason) = TorchEnvironment.CompatStep();
        var state = applied switch { true => "applied", false => "not applied", null => "unknown" };
        context.Out.WriteLine($"libstdc++ compatibility step: {state} ({reason})");
        return Task.FromResult(0);
    }
}
