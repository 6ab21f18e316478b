using AlgoPerf.Trainer.Tensors;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlgoPerf.Seed.Cli;
using TorchSharp;
using static TorchSharp.torch;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace AlgoPerf.Seed.Commands.Bench;

/// <summary>
/// <c>./algoperf bench ops</c>: the binding's per-op dispatch overhead (10,000 small adds on 16-element tensors, in and
/// out of place, a scalar multiply) and a small MLP training step, next to PyTorch eager doing exactly the same
/// (<c>benchmarks/peers/torch_ops_bench.py</c> under Debian's python3-torch), in one run and one JSON object.
/// </summary>
internal sealed class OpsBenchmark : IBenchmark
{
    private const string PeerScript = "benchmarks/peers/torch_ops_bench.py";

    public string Name => "ops";

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        var format = args.Choice("format", "text", "text", "json");
        var threads = args.GetInt("threads") ?? 1;
        var ops = args.GetInt("ops") ?? 10_000;
        var repeats = args.GetInt("repeats") ?? 7;
        var mlpSteps = args.GetInt("mlp-steps") ?? 300;
        var python = args.Get("python") ?? "/usr/bin/python3";
        var skipPeer = args.Has("no-peer");
        args.EnsureAllUsed();
        if (threads < 1 || ops < 10 || repeats < 1 || mlpSteps < 1)
        {
            throw new UsageException("--threads, --repeats and --mlp-steps must be at least 1 and --ops at least 10");
        }

        torch.set_num_threads(threads);
        var ours = new JsonObject
        {
            ["binding"] = $"TorchSharp, LibTorch {torch.__version__}",
            ["threads"] = torch.get_num_threads(),
            ["add_us"] = Round(BestMicroseconds(ops, repeats, AddLoop)),
            ["add_inplace_us"] = Round(BestMicroseconds(ops, repeats, AddInPlaceLoop)),
            ["mul_scalar_us"] = Round(BestMicroseconds(ops, repeats, MulScalarLoop)),
            ["mlp_steps_per_sec"] = Math.Round(MlpStepsPerSecond(mlpSteps), 1),
        };
        var result = new JsonObject { ["threads"] = threads, ["ops_per_repeat"] = ops, ["ours"] = ours };
        if (!skipPeer)
        {
            var peer = await RunPeerAsync(python, threads, ops, repeats, mlpSteps, cancellationToken).ConfigureAwait(false);
            result["pytorch"] = peer;
            result["ratio_ours_over_pytorch"] = new JsonObject
            {
                ["add_us"] = Ratio(ours, peer, "add_us"),
                ["add_inplace_us"] = Ratio(ours, peer, "add_inplace_us"),
                ["mul_scalar_us"] = Ratio(ours, peer, "mul_scalar_us"),
                ["mlp_steps_per_sec"] = Ratio(ours, peer, "mlp_steps_per_sec"),
            };
        }

        var text = format == "json"
            ? result.ToJsonString()
            : result.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        await context.Out.WriteLineAsync(text).ConfigureAwait(false);
        return 0;
    }

    private static double Round(double v) => Math.Round(v, 3);

    private static double Ratio(JsonObject ours, JsonObject peer, string key) =>
        Math.Round(ours[key]!.GetValue<double>() / peer[key]!.GetValue<double>(), 3);

    // The best (lowest) time per op over the repeats, after a warm-up of a tenth of a repeat.
    private static double BestMicroseconds(int ops, int repeats, Action<int> loop)
    {
        loop(ops / 10);
        var best = double.MaxValue;
        for (var r = 0; r < repeats; r++)
        {
            var start = Stopwatch.GetTimestamp();
            loop(ops);
            var elapsed = Stopwatch.GetElapsedTime(start);
            best = Math.Min(best, elapsed.TotalMicroseconds / ops);
        }

        return best;
    }

    private static void AddLoop(int n)
    {
        using var g = new Generator(0);
        using var a = torch.randn([16], generator: g);
        using var b = torch.randn([16], generator: g);
        for (var i = 0; i < n; i++)
        {
            a.add(b, Scalars.One).Dispose();
        }
    }

    private static void AddInPlaceLoop(int n)
    {
        using var g = new Generator(0);
        using var a = torch.randn([16], generator: g);
        using var b = torch.randn([16], generator: g);
        for (var i = 0; i < n; i++)
        {
            a.add_(b, Scalars.Of(1e-9));
        }
    }

    private static void MulScalarLoop(int n)
    {
        using var g = new Generator(0);
        using var a = torch.randn([16], generator: g);
        for (var i = 0; i < n; i++)
        {
            a.mul(Scalars.Of(0.5)).Dispose();
        }
    }

    // The peer's model: 64-128-128-10 MLP, batch 32, cross-entropy, grads set to None, in-place SGD.
    private static double MlpStepsPerSecond(int steps)
    {
        using var g = new Generator(0);
        using var model = Sequential(AlgoPerf.Trainer.Models.Layers.Linear(64, 128, g), ReLU(), AlgoPerf.Trainer.Models.Layers.Linear(128, 128, g), ReLU(), AlgoPerf.Trainer.Models.Layers.Linear(128, 10, g));
        using var x = torch.randn([32, 64], generator: g);
        using var y = torch.randint(0, 10, [32], generator: g);
        var parameters = model.parameters().ToArray();
        for (var i = 0; i < 20; i++)
        {
            Step(model, parameters, x, y);
        }

        var best = 0.0;
        for (var r = 0; r < 3; r++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < steps; i++)
            {
                Step(model, parameters, x, y);
            }

            best = Math.Max(best, steps / Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        return best;
    }

    private static void Step(Sequential model, Parameter[] parameters, Tensor x, Tensor y)
    {
        using var scope = torch.NewDisposeScope();
        foreach (var p in parameters)
        {
            p.grad = null;
        }

        functional.cross_entropy(model.forward(x), y).backward();
        using var noGrad = torch.no_grad();
        foreach (var p in parameters)
        {
            p.add_(p.grad!, Scalars.Of(-0.01));
        }
    }

    private static Task<JsonObject> RunPeerAsync(string python, int threads, int ops, int repeats, int mlpSteps, CancellationToken cancellationToken) =>
        PythonPeer.RunAsync(
            python,
            PythonPeer.FindScript(PeerScript),
            [threads.ToString(CultureInfo.InvariantCulture), ops.ToString(CultureInfo.InvariantCulture), repeats.ToString(CultureInfo.InvariantCulture), mlpSteps.ToString(CultureInfo.InvariantCulture)],
            string.Empty,
            cancellationToken);
}
