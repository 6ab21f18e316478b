
using AlgoPerf.Trainer.Checkpoints;
using AlgoPerf.Trainer.Running;
using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Tests.Checkpoints.TensorFiles;

public sealed class DurableFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("algoperf-durable-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Replace_ExistingTarget_LeavesOnlyTheNewContent()
    {
        var target = Path.Combine(_dir, "file.json");
        var temp = Path.Combine(_dir, ".file.json.tmp");
        File.WriteAllText(target, "old");
        File.WriteAllText(temp, "new");

        DurableFile.Replace(temp, target);

        Assert.Equal(["file.json"], Directory.GetFiles(_dir).Select(Path.GetFileName));
        Assert.Equal("new", File.ReadAllText(target));
    }

    [Fact]
    public void Replace_MissingTemporary_ThrowsAndKeepsTarget()
    {
        var target = Path.Combine(_dir, "file.json");
        File.WriteAllText(target, "old");

        Assert.Throws<FileNotFoundException>(() => DurableFile.Replace(Path.Combine(_dir, "missing.tmp"), target));
        Assert.Equal("old", File.ReadAllText(target));
    }

    [Fact]
    public void SyncDirectory_MissingDirectory_ThrowsNamingIt()
    {
        var missing = Path.Combine(_dir, "nope");

        var e = Assert.Throws<IOException>(() => DurableFile.SyncDirectory(missing));

        Assert.Equal($"{missing}: cannot open the directory to sync it (errno 2)", e.Message);
    }

    [Fact]
    public void SyncDirectory_ExistingDirectory_Succeeds() => DurableFile.SyncDirectory(_dir);
}
