using System.Runtime.InteropServices;
using System.Security.Cryptography;
using AlgoPerf.Trainer.Distributed;
using AlgoPerf.Trainer.Tensors;
using static TorchSharp.torch;

namespace AlgoPerf.DistributedRankHost;

/// <summary>
/// Data-parallel SGD with momentum on a small MLP (no batch norm, no dropout), the check of
/// InProcessReducerTests run across processes: each rank trains on its shard of the same global batches and averages
/// its gradients through the reducer. Every rank starts from rank 0's parameters (a broadcast, as DDP's constructor
/// does), so only rank 0 needs the start. Linked into AlgoPerf.Trainer.Tests, which runs rank 0 and the one-rank
/// reference, while this program runs the other ranks.
/// </summary>
internal static class ParityTraining
{
    /// <summary>Steps trained.</summary>
    public const int Steps = 20;

    /// <summary>The global batch.</summary>
    public const int Batch = 16;

    /// <summary>The MLP: 10 inputs, 16 hidden units, 3 classes.</summary>
    public static nn.Module<Tensor, Tensor> Mlp() =>
        nn.Sequential(("fc1", nn.Linear(10, 16)), ("relu", nn.ReLU()), ("fc2", nn.Linear(16, 3)));

    /// <summary>Trains this rank and returns its parameters, flattened in parameter order.</summary>
    /// <param name="reducer">This rank's end of the gang.</param>
    /// <param name="start">The start parameters on rank 0; other ranks pass null and receive rank 0's.</param>
    public static float[] Train(IGradientReducer reducer, IReadOnlyList<Tensor>? start)
    {
        using var generator = new Generator(11);
        using var inputs = randn(new long[] { Steps, Batch, 10 }, generator: generator);
        using var labels = randint(0, 3, new long[] { Steps, Batch }, generator: generator);
        using var model = Mlp();
        var parameters = model.parameters().ToList();
        if (start is not null)
        {
            using (no_grad())
            {
                foreach (var (p, s) in parameters.Zip(start))
                {
                    p.copy_(s);
                }
            }
        }

        reducer.BroadcastInPlace(parameters, root: 0);
        var momentum = parameters.Select(p => zeros_like(p)).ToList();
        var shard = Batch / reducer.WorldSize;
        for (var step = 0; step < Steps; step++)
        {
            using var scope = NewDisposeScope();
            model.zero_grad();
            var x = inputs[step].narrow(0, reducer.Rank * shard, shard);
            var y = labels[step].narrow(0, reducer.Rank * shard, shard);
            var loss = nn.functional.cross_entropy(model.forward(x), y);
            loss.backward();
            var grads = parameters.Select(p => p.grad!).ToList();
            reducer.AverageInPlace(grads);
            using (no_grad())
            {
                for (var i = 0; i < parameters.Count; i++)
                {
                    momentum[i].mul_(Scalars.Of(0.9)).add_(grads[i], Scalars.One);
                    parameters[i].add_(momentum[i], Scalars.Of(-0.05));
                }
            }
        }

        var result = parameters.SelectMany(p => MemoryMarshal.Cast<byte, float>(p.bytes).ToArray()).ToArray();
        momentum.ForEach(m => m.Dispose());
        return result;
    }

    /// <summary>SHA-256 of the values' bytes, in hex: equal digests mean bit-identical parameters.</summary>
    public static string Digest(float[] values) => Convert.ToHexString(SHA256.HashData(MemoryMarshal.AsBytes(values.AsSpan())));
}
