using static AlgoPerf.Seed.Tests.CliRunner;

namespace AlgoPerf.Seed.Tests.Commands;

/// <summary><c>algoperf version</c>: the tensor library's versions and whether the compatibility step was applied.</summary>
public sealed class VersionCommandTests
{
    [Fact]
    public async Task Version_OnThisMachine_PrintsTorchSharpLibTorchAndTheCompatStepAsTheSystemNeedsIt()
    {
        var (code, stdout, stderr) = await RunAsync("version");

        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("algoperf ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("TorchSharp 0.107.0, LibTorch 2.10.0 (intra-op threads: ", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("CUDA devices: 0)", lines[1], StringComparison.Ordinal);
        var systemHasIt = File.ReadAllBytes("/lib/x86_64-linux-gnu/libstdc++.so.6").AsSpan().IndexOf("GLIBCXX_3.4.32\0"u8) >= 0;
        Assert.StartsWith($"libstdc++ compatibility step: {(systemHasIt ? "not applied" : "applied")} (", lines[2], StringComparison.Ordinal);
    }
}
