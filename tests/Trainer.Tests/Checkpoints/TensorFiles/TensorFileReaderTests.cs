using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

using AlgoPerf.Trainer.Checkpoints;
using AlgoPerf.Trainer.Running;
using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Tests.Checkpoints.TensorFiles;

/// <summary>Damaged files: every one fails with the file and the field named, and creates no tensor.</summary>
[Collection("Sequential")]
public sealed class TensorFileReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("algoperf-tensorfile-").FullName;
    private readonly string _path;

    public TensorFileReaderTests()
    {
        _path = Path.Combine(_dir, "ckpt.bin");
        using var scope = torch.NewDisposeScope();
        TensorFile.Save(
            _path,
            [new("layer.weight", torch.tensor(new[] { 1f, 2f, 3f, 4f }, [2, 2])), new("layer.bias", torch.tensor(new[] { 5L, 6L }, [2]))],
            "{\"step\":3}");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Load_TruncatedFile_ThrowsNamingFileAndLength()
    {
        var bytes = File.ReadAllBytes(_path);
        File.WriteAllBytes(_path, bytes[..^40]);

        var e = AssertCorrupt("file length");

        Assert.Equal($"tensor file '{_path}': file length: truncated: the file has {bytes.Length - 40} bytes, its header declares {bytes.Length}", e.Message);
    }

    [Fact]
    public void Load_TruncatedInsideHeader_ThrowsTruncated()
    {
        File.WriteAllBytes(_path, File.ReadAllBytes(_path)[..10]);

        var e = AssertCorrupt("header");

        Assert.Contains("truncated: the file has only 10 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EmptyFile_ThrowsTruncated()
    {
        File.WriteAllBytes(_path, []);

        var e = AssertCorrupt("header");

        Assert.Contains("only 0 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ExtraBytesAppended_ThrowsNamingLength()
    {
        using (var s = new FileStream(_path, FileMode.Append))
        {
            s.Write([1, 2, 3]);
        }

        var e = AssertCorrupt("file length");

        Assert.Contains("3 unexpected bytes after", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.99)]
    public void Load_OneFlippedByte_ThrowsChecksumMismatch(double where)
    {
        var bytes = File.ReadAllBytes(_path);
        // Past the fixed header (magic, version, length), so only the checksum can notice.
        var i = 20 + (int)((bytes.Length - 20) * where);
        bytes[i] ^= 0x01;
        File.WriteAllBytes(_path, bytes);

        var e = AssertCorrupt("checksum");

        Assert.StartsWith($"tensor file '{_path}': checksum: SHA-256 mismatch", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("the file is corrupt", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WrongMagic_ThrowsNotATensorFile()
    {
        File.WriteAllText(_path, "PK\u0003\u0004 this is a zip file, not tensors");

        var e = AssertCorrupt("magic");

        Assert.Contains("not a tensor file (expected 89415054460D0A1A, found 504B030420746869)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NewerVersion_ThrowsUnsupportedVersion()
    {
        var bytes = File.ReadAllBytes(_path);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), 2);
        File.WriteAllBytes(_path, bytes);

        var e = AssertCorrupt("version");

        Assert.Contains("unsupported format version 2 (this build reads version 1)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ValidChecksumOverBadDataLength_ThrowsNamingTensorAndField()
    {
        // A writer bug rather than disk damage: the checksum matches, the structure does not.
        // After the name: dtype (4), ndim (4), one size (8), then the data length.
        PatchSealed("layer.bias", 4 + 4 + 8, at => BinaryPrimitives.WriteUInt64LittleEndian(at, 15));

        var e = AssertCorrupt("tensor 'layer.bias' (#1) data length");

        Assert.Contains("15 bytes, but shape [2] of Int64 needs 16", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ValidChecksumOverUnknownDtype_ThrowsNamingTensorAndField()
    {
        PatchSealed("layer.weight", 0, at => BinaryPrimitives.WriteInt32LittleEndian(at, 99));

        var e = AssertCorrupt("tensor 'layer.weight' (#0) dtype");

        Assert.Contains("unknown dtype code 99", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_IntactFile_ReturnsMetadata()
    {
        Assert.Equal("{\"step\":3}", TensorFile.Verify(_path));
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFoundNamingPath()
    {
        var missing = Path.Combine(_dir, "nope.bin");

        var e = Assert.Throws<FileNotFoundException>(() => TensorFile.Load(missing));

        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    private TensorFileCorruptException AssertCorrupt(string field)
    {
        var before = TorchEnvironment.LiveTensors;
        var e = Assert.Throws<TensorFileCorruptException>(() => TensorFile.Load(_path));
        Assert.Equal(_path, e.FilePath);
        Assert.Equal(field, e.Field);
        Assert.Equal(before, TorchEnvironment.LiveTensors);
        Assert.Equal(e.Message, Assert.Throws<TensorFileCorruptException>(() => TensorFile.Verify(_path)).Message);
        return e;
    }

    /// <summary>
    /// Overwrites the bytes <paramref name="skip"/> bytes after the tensor name <paramref name="name"/>, then rewrites
    /// the trailing SHA-256, so that only the structural checks can object.
    /// </summary>
    private void PatchSealed(string name, int skip, SpanAction patch)
    {
        var bytes = File.ReadAllBytes(_path);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        patch(bytes.AsSpan(bytes.AsSpan().IndexOf(nameBytes) + nameBytes.Length + skip));
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32), bytes.AsSpan(bytes.Length - 32));
        File.WriteAllBytes(_path, bytes);
    }

    private delegate void SpanAction(Span<byte> at);
}
