using AlgoPerf.Trainer.Checkpoints;
using AlgoPerf.Trainer.Data;
using AlgoPerf.Trainer.Input;
using AlgoPerf.Trainer.Timing;

namespace AlgoPerf.Trainer.Tests.Checkpoints;

[Collection("Torch")]
public sealed class CheckpointStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("checkpoints-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void SaveLoad_HeaderAndScalars_RoundTripExactly()
    {
        var store = new CheckpointStore(_dir);
        var state = new TrainState(true, false, true, 1.7e9 + 0.1, false, 12.345678901234567, 0.5, 1e-300, 1.7e9 + 0.2);
        var evals = new[]
        {
            new EvalRecord(1, new Dictionary<string, double> { ["validation/accuracy"] = 0.1, ["test/loss"] = double.NaN, ["score"] = double.PositiveInfinity }),
            new EvalRecord(7, new Dictionary<string, double> { ["validation/accuracy"] = -0.0 }),
        };
        var header = new CheckpointHeader("fmnist_mlp", "nadamw", ulong.MaxValue, 7, 3, state, new InputPosition(2, 640, new RandomState(1, ulong.MaxValue, 3, 4)), evals);
        var writer = new CheckpointWriter();
        writer.Prefixed("optimizer").Double("lr_max", double.NegativeInfinity);
        writer.Int64("a", long.MinValue);
        writer.UInt64("b", ulong.MaxValue);
        writer.String("c", "ü\"\n");

        var info = store.Save(header, writer);
        using var loaded = CheckpointStore.Load(info.Path);

        Assert.Equal(Path.Combine(_dir, "checkpoint_7.ckpt"), info.Path);
        Assert.Equal(new FileInfo(info.Path).Length, info.Bytes);
        var h = loaded.Header;
        Assert.Equal((header.Workload, header.Submission, header.Seed, header.GlobalStep, header.PreemptionCount, header.TrainState, header.InputPosition), (h.Workload, h.Submission, h.Seed, h.GlobalStep, h.PreemptionCount, h.TrainState, h.InputPosition));
        Assert.Equal(2, h.EvalHistory.Count);
        Assert.Equal(["validation/accuracy", "test/loss", "score"], h.EvalHistory[0].Metrics.Keys);
        Assert.True(double.IsNaN(h.EvalHistory[0].Metrics["test/loss"]));
        Assert.Equal(double.PositiveInfinity, h.EvalHistory[0].Metrics["score"]);
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(h.EvalHistory[1].Metrics["validation/accuracy"]));
        Assert.Equal(double.NegativeInfinity, loaded.Reader.Prefixed("optimizer").Double("lr_max"));
        Assert.Equal(["lr_max"], loaded.Reader.Prefixed("optimizer").ScalarNames());
        Assert.Equal((long.MinValue, ulong.MaxValue, "ü\"\n"), (loaded.Reader.Int64("a"), loaded.Reader.UInt64("b"), loaded.Reader.String("c")));
    }

    [Fact]
    public void Load_MetadataFieldOfWrongType_ErrorNamesFileAndField()
    {
        var path = Path.Combine(_dir, CheckpointStore.FileName(3));
        var good = new CheckpointStore(_dir).Save(
            new CheckpointHeader("w", "s", 1, 3, 0, TrainState.Initial, new InputPosition(0, 0, default), []),
            new CheckpointWriter());
        var metadata = TensorFile.Verify(good.Path).Replace("\"accumulated_eval_time\":0", "\"accumulated_eval_time\":\"soon\"", StringComparison.Ordinal);
        TensorFile.Save(path, [], metadata);

        var e = Assert.Throws<TensorFileCorruptException>(() => CheckpointStore.Load(path));

        Assert.Equal("metadata.train_state.accumulated_eval_time", e.Field);
        Assert.Equal(path, e.FilePath);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FormatOneOfTheOldBinding_RefusedAsIncompatibleNamingFileAndField()
    {
        var path = Path.Combine(_dir, CheckpointStore.FileName(4));
        var good = new CheckpointStore(_dir).Save(
            new CheckpointHeader("w", "s", 1, 4, 0, TrainState.Initial, new InputPosition(0, 0, default), []),
            new CheckpointWriter());
        var metadata = TensorFile.Verify(good.Path);
        Assert.Contains("\"version\":2,", metadata, StringComparison.Ordinal);
        File.Delete(good.Path);
        TensorFile.Save(path, [], metadata.Replace("\"version\":2,", "\"version\":1,", StringComparison.Ordinal));
        var before = File.ReadAllBytes(path);

        var e = Assert.Throws<IncompatibleCheckpointException>(() => CheckpointStore.Load(path));

        Assert.Equal(path, e.FilePath);
        Assert.StartsWith($"{path}: metadata.version: checkpoint format 1 was written by the LibTorch 1.13 binding", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Load_MissingScalar_ErrorNamesTheField()
    {
        var info = new CheckpointStore(_dir).Save(
            new CheckpointHeader("w", "s", 1, 1, 0, TrainState.Initial, new InputPosition(0, 0, default), []),
            new CheckpointWriter());
        using var loaded = CheckpointStore.Load(info.Path);

        var e = Assert.Throws<TensorFileCorruptException>(() => loaded.Reader.Prefixed("optimizer").Double("step"));

        Assert.Equal("field 'optimizer.step'", e.Field);
    }

    [Fact]
    public void Save_FourCheckpoints_KeepsTheNewestTwo()
    {
        var store = new CheckpointStore(_dir);
        foreach (var step in new long[] { 5, 10, 15, 20 })
        {
            store.Save(new CheckpointHeader("w", "s", 1, step, 0, TrainState.Initial, new InputPosition(0, 0, default), []), new CheckpointWriter());
        }

        Assert.Equal([20L, 15L], store.List().Select(c => c.GlobalStep));
    }
}
