namespace AlgoPerf.Torch.Tests.Tensor;

using Tensor = AlgoPerf.Torch.Tensor;

[Collection("Sequential")]
public sealed class TensorRandomTests
{
    [Fact]
    public void Randn_SameSeed_SameValues()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var g1 = new Generator(42);
        using var g2 = new Generator(42);

        Assert.Equal(Tensor.Randn([16], g1).ToArray<float>(), Tensor.Randn([16], g2).ToArray<float>());
        Assert.NotEqual(Tensor.Randn([16], g1).ToArray<float>(), Tensor.Randn([16], g1).ToArray<float>());
    }

    [Fact]
    public void Randn_Seed0_MatchesPyTorch()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var g = new Generator(0);

        // torch.Generator().manual_seed(0); torch.randn(3, generator=g) -> [1.5410, -0.2934, -2.1788]
        var x = Tensor.Randn([3], g).ToArray<float>();

        Assert.Equal(1.5410, x[0], 4);
        Assert.Equal(-0.2934, x[1], 4);
        Assert.Equal(-2.1788, x[2], 4);
    }

    [Fact]
    public void GeneratorState_SavedAndRestored_ReplaysDraws()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var g = new Generator(7);
        _ = Tensor.Rand([5], g);
        var state = g.GetState();
        var first = Tensor.Rand([8], g).ToArray<float>();
        _ = Tensor.Randn([100], g);

        g.SetState(state);

        Assert.Equal(first, Tensor.Rand([8], g).ToArray<float>());
        Assert.Equal(7UL, g.InitialSeed);
    }

    [Fact]
    public void RandomFactories_Ranges_Hold()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var g = new Generator(3);

        var ints = Tensor.Randint(2, 5, [1000], g).ToArray<long>();
        Assert.All(ints, v => Assert.InRange(v, 2, 4));
        Assert.Equal([2L, 3L, 4L], ints.Distinct().Order().ToArray());

        var u = Tensor.Rand([1000], g, ScalarType.Float64).ToArray<double>();
        Assert.All(u, v => Assert.InRange(v, 0.0, 1.0));

        var perm = Tensor.Randperm(10, g).ToArray<long>();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), perm.Order());

        var b = Tensor.Zeros([10000]).Bernoulli(0.25, g).Mean().ToDouble();
        Assert.InRange(b, 0.23, 0.27);

        var n = Tensor.Empty([10000], ScalarType.Float64).Normal_(3, 2, g);
        Assert.InRange(n.Mean().ToDouble(), 2.9, 3.1);
        Assert.InRange(n.Std().ToDouble(), 1.9, 2.1);

        var uu = Tensor.Empty([1000]).Uniform_(-2, -1, g).ToArray<float>();
        Assert.All(uu, v => Assert.InRange(v, -2f, -1f));
    }

    [Fact]
    public void ManualSeed_DefaultGenerator_Reproduces()
    {
        using var scope = TorchRuntime.NewDisposeScope();

        TorchRuntime.ManualSeed(11);
        var a = Tensor.Randn([4]).ToArray<float>();
        TorchRuntime.ManualSeed(11);
        var b = Tensor.Randn([4]).ToArray<float>();

        Assert.Equal(a, b);
    }
}
