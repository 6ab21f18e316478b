using System.IO.Compression;
using AlgoPerf.Trainer.Data;

namespace AlgoPerf.Trainer.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("idx-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static byte[] Idx(byte type, int[] dims, byte[] data)
    {
        var header = new List<byte> { 0, 0, type, (byte)dims.Length };
        foreach (var d in dims)
        {
            header.AddRange([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        }

        return [.. header, .. data];
    }

    internal static void WriteGz(string path, byte[] bytes)
    {
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        gz.Write(bytes);
    }

    [Fact]
    public void Read_RawFile_DimensionsAndData()
    {
        var path = Path.Combine(_dir, "a-idx3-ubyte");
        File.WriteAllBytes(path, Idx(8, [2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));

        var idx = IdxReader.Read(path);

        Assert.Equal([2, 2, 3], idx.Dimensions);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], idx.Data);
    }

    [Fact]
    public void Read_GzippedFile_Decompressed()
    {
        var path = Path.Combine(_dir, "b-idx1-ubyte.gz");
        WriteGz(path, Idx(8, [3], [7, 8, 9]));

        Assert.Equal([7, 8, 9], IdxReader.Read(path).Data);
    }

    [Theory]
    [InlineData(new byte[] { 1, 0, 8, 1, 0, 0, 0, 1, 5 }, "bad IDX magic")]
    [InlineData(new byte[] { 0, 0, 0x0d, 1, 0, 0, 0, 1, 5 }, "element type 0x0d")]
    [InlineData(new byte[] { 0, 0, 8, 2, 0, 0, 0, 1 }, "truncated IDX header")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0, 0, 0, 3, 5, 6 }, "truncated")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0, 0, 0, 1, 5, 6 }, "trailing bytes")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0xff, 0xff, 0xff, 0xff }, "dimension 0 has size -1")]
    [InlineData(new byte[] { 0, 0 }, "too short")]
    public void Read_CorruptFile_InvalidDataNamingFile(byte[] bytes, string expected)
    {
        var path = Path.Combine(_dir, "corrupt-idx");
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_GzNameWithoutGzipData_InvalidDataNamingFile()
    {
        var path = Path.Combine(_dir, "plain.gz");
        File.WriteAllBytes(path, Idx(8, [1], [1]));

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TruncatedGzip_InvalidDataNamingFile()
    {
        var path = Path.Combine(_dir, "cut.gz");
        WriteGz(path, Idx(8, [4000], new byte[4000]));
        var whole = File.ReadAllBytes(path);
        File.WriteAllBytes(path, whole[..(whole.Length / 2)]);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }
}
