
using AlgoPerf.Trainer.Checkpoints;
using AlgoPerf.Trainer.Running;
using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Tests.Checkpoints.TensorFiles;

[Collection("Sequential")]
public sealed class TensorFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("algoperf-tensorfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(ScalarType.Float32, 4)]
    [InlineData(ScalarType.Float64, 8)]
    [InlineData(ScalarType.BFloat16, 2)]
    [InlineData(ScalarType.Float16, 2)]
    [InlineData(ScalarType.Int64, 8)]
    [InlineData(ScalarType.Int32, 4)]
    [InlineData(ScalarType.Bool, 1)]
    public void SaveLoad_EveryDtype_RoundTripsBitExact(ScalarType dtype, int elementSize)
    {
        var before = TorchEnvironment.LiveTensors;
        var path = Path.Combine(_dir, "t.bin");
        var bytes = PatternBytes(2 * 3 * 5 * elementSize, dtype);
        using (torch.NewDisposeScope())
        {
            var original = TensorBytes.FromBytes(bytes, [2, 3, 5], dtype);
            var scalar = TensorBytes.FromBytes(PatternBytes(elementSize, dtype), [], dtype);
            var empty = TensorBytes.FromBytes([], [0, 4], dtype);

            TensorFile.Save(path, [new("w", original), new("scalar", scalar), new("empty", empty)], "{\"step\":7}");
            using var loaded = TensorFile.Load(path);

            Assert.Equal(["w", "scalar", "empty"], loaded.Names);
            Assert.Equal("{\"step\":7}", loaded.Metadata);
            Assert.Equal(dtype, loaded["w"].dtype);
            Assert.Equal([2L, 3L, 5L], loaded["w"].shape);
            Assert.Equal(bytes, TensorBytes.ToBytes(loaded["w"]));
            Assert.Equal(TensorBytes.ToBytes(scalar), TensorBytes.ToBytes(loaded["scalar"]));
            Assert.Empty(loaded["scalar"].shape);
            Assert.Equal([0L, 4L], loaded["empty"].shape);
        }

        Assert.Equal(before, TorchEnvironment.LiveTensors);
    }

    [Fact]
    public void SaveLoad_DictionaryWithoutMetadata_RoundTripsValuesWithEmptyMetadata()
    {
        var path = Path.Combine(_dir, "t.bin");
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor(new[] { 1.0, 2.0, 3.0, 4.0, 5.0, 6.0 }, [2, 3]);

        TensorFile.Save(path, new Dictionary<string, Tensor> { ["a"] = a });
        using var loaded = TensorFile.Load(path);

        Assert.Equal(string.Empty, loaded.Metadata);
        Assert.Equal([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], loaded["a"].ToArray<double>());
        Assert.Equal(string.Empty, TensorFile.Verify(path));
    }

    [Fact]
    public void Save_ExistingFile_ReplacesItAndLeavesNoTempFile()
    {
        var path = Path.Combine(_dir, "ckpt.bin");
        using var scope = torch.NewDisposeScope();
        TensorFile.Save(path, [new("x", torch.tensor(new[] { 1f }, [1]))], "old");

        TensorFile.Save(path, [new("x", torch.tensor(new[] { 2f }, [1]))], "new");

        using var loaded = TensorFile.Load(path);
        Assert.Equal("new", loaded.Metadata);
        Assert.Equal([2f], loaded["x"].ToArray<float>());
        Assert.Equal([path], Directory.GetFiles(_dir));
    }

    [Fact]
    public void Save_DuplicateName_ThrowsAndKeepsOldFile()
    {
        var path = Path.Combine(_dir, "ckpt.bin");
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new[] { 1f }, [1]);
        TensorFile.Save(path, [new("x", x)], "old");

        var e = Assert.Throws<ArgumentException>(() => TensorFile.Save(path, [new("x", x), new("x", x)]));

        Assert.Contains("tensor name 'x' appears twice", e.Message, StringComparison.Ordinal);
        Assert.Equal("old", TensorFile.Verify(path));
        Assert.Equal([path], Directory.GetFiles(_dir));
    }

    [Fact]
    public void Take_OneTensor_CallerOwnsItAfterContentsDisposed()
    {
        var path = Path.Combine(_dir, "t.bin");
        var before = TorchEnvironment.LiveTensors;
        using (var x = torch.tensor(new[] { 3, 4 }, [2]))
        {
            TensorFile.Save(path, [new("x", x), new("y", x)]);
        }

        Tensor taken;
        using (var loaded = TensorFile.Load(path))
        {
            taken = loaded.Take("x");
            Assert.False(loaded.TryGet("x", out _));
        }

        Assert.Equal([3, 4], taken.ToArray<int>());
        Assert.Equal(before + 1, TorchEnvironment.LiveTensors);
        taken.Dispose();
        Assert.Equal(before, TorchEnvironment.LiveTensors);
    }

    [Fact]
    public void Indexer_UnknownName_ThrowsNamingFileAndTensor()
    {
        var path = Path.Combine(_dir, "t.bin");
        TensorFile.Save(path, [], "{}");
        using var loaded = TensorFile.Load(path);

        var e = Assert.Throws<KeyNotFoundException>(() => loaded["missing"]);

        Assert.Equal($"tensor file '{path}' holds no tensor 'missing'", e.Message);
    }

    /// <summary>Varied bytes (any float bit pattern, NaN payloads included, must survive); bools must be 0 or 1.</summary>
    private static byte[] PatternBytes(int count, ScalarType dtype)
    {
        var bytes = new byte[count];
        for (var i = 0; i < count; i++)
        {
            bytes[i] = dtype == ScalarType.Bool ? (byte)(i % 3 == 0 ? 1 : 0) : (byte)((i * 37) + 11);
        }

        return bytes;
    }
}
