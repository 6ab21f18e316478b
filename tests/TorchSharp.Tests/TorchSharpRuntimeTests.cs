using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AlgoPerf.TorchSharp.Tests;

/// <summary>
/// TorchSharp loads and trains here, with the compatibility step (eng/torchsharp-compat) applied exactly where the
/// system libstdc++ lacks GLIBCXX_3.4.32.
/// </summary>
public sealed class TorchSharpRuntimeTests
{
    private static string NativeDirectory => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");

    [Fact]
    public void Version_OnThisMachine_IsLibTorch2100()
    {
        Assert.Equal("2.10.0.0", __version__);
    }

    [Fact]
    public void AdamW_TenStepsOnALinearRegression_LowersTheLossEveryStep()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(42);
        var x = randn([64, 4], generator: generator);
        var y = x.matmul(tensor(new float[] { 1, -2, 3, 0.5f }).reshape(4, 1));
        using var model = nn.Linear(4, 1);
        using var optimizer = optim.AdamW(model.parameters(), lr: 0.05);
        var losses = new List<float>();
        for (var step = 0; step < 10; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.forward(x), y);
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }

        Assert.All(losses.Zip(losses.Skip(1)), p => Assert.True(p.Item2 < p.Item1, $"loss went from {p.Item1} to {p.Item2}"));
    }

    [Fact]
    public void CompatStep_AppliedExactlyWhenTheSystemLibstdcxxLacksGlibcxx3432()
    {
        var marker = JsonDocument.Parse(File.ReadAllText(Path.Combine(NativeDirectory, "algoperf-compat.json"))).RootElement;
        var libstdcxx = File.ReadAllBytes("/lib/x86_64-linux-gnu/libstdc++.so.6");
        var systemHasIt = libstdcxx.AsSpan().IndexOf("GLIBCXX_3.4.32\0"u8) >= 0;

        Assert.Equal(!systemHasIt, marker.GetProperty("applied").GetBoolean());
        Assert.Equal(!systemHasIt, File.Exists(Path.Combine(NativeDirectory, "libalgoperf_stdcxx_compat.so")));
    }
}
