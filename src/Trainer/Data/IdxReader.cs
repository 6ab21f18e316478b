using System.Buffers.Binary;
using System.IO.Compression;

namespace AlgoPerf.Trainer.Data;

/// <summary>
/// Reads IDX files (<c>yann.lecun.com/exdb/mnist</c> format), gzipped or not: a 4-byte magic <c>00 00 TT DD</c>
/// (TT = element type, DD = number of dimensions), DD big-endian int32 sizes, then the data.
/// Only element type <c>0x08</c> (unsigned byte) is accepted, which is what (Fashion-)MNIST uses.
/// </summary>
public static class IdxReader
{
    private const byte UnsignedByte = 0x08;

    /// <summary>Reads a whole IDX file; a name ending in <c>.gz</c> or a gzip header selects decompression.</summary>
    /// <exception cref="InvalidDataException">A bad magic, type, dimension or a truncated/overlong file; the message names the file.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IdxFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = Decompress(path, File.ReadAllBytes(path));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: not a valid gzip stream ({e.Message})", e);
        }

        return Parse(path, bytes);
    }

    /// <summary>Parses IDX bytes already in memory; <paramref name="path"/> names the source in errors.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid unsigned-byte IDX file.</exception>
    public static IdxFile Parse(string path, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 4)
        {
            throw new InvalidDataException($"{path}: {bytes.Length} bytes is too short for an IDX header");
        }

        if (bytes[0] != 0 || bytes[1] != 0)
        {
            throw new InvalidDataException($"{path}: bad IDX magic {bytes[0]:x2} {bytes[1]:x2} {bytes[2]:x2} {bytes[3]:x2} (expected 00 00 08 <dims>)");
        }

        if (bytes[2] != UnsignedByte)
        {
            throw new InvalidDataException($"{path}: IDX element type 0x{bytes[2]:x2} is not supported (only 0x08, unsigned byte)");
        }

        int rank = bytes[3];
        if (rank == 0)
        {
            throw new InvalidDataException($"{path}: IDX file has 0 dimensions");
        }

        var header = 4 + (4 * rank);
        if (bytes.Length < header)
        {
            throw new InvalidDataException($"{path}: truncated IDX header ({bytes.Length} bytes, {rank} dimensions need {header})");
        }

        var dims = new int[rank];
        long total = 1;
        for (var d = 0; d < rank; d++)
        {
            var size = BinaryPrimitives.ReadInt32BigEndian(bytes.Slice(4 + (4 * d), 4));
            if (size <= 0)
            {
                throw new InvalidDataException($"{path}: IDX dimension {d} has size {size}");
            }

            dims[d] = size;
            total *= size;
        }

        var dataLength = bytes.Length - header;
        if (dataLength != total)
        {
            throw new InvalidDataException(
                $"{path}: IDX dimensions [{string.Join(", ", dims)}] need {total} data bytes but the file has {dataLength} ({(dataLength < total ? "truncated" : "trailing bytes")})");
        }

        return new IdxFile(path, dims, bytes[header..].ToArray());
    }

    private static byte[] Decompress(string path, byte[] raw)
    {
        var gzip = raw.Length >= 2 && raw[0] == 0x1f && raw[1] == 0x8b;
        if (!gzip && !path.EndsWith(".gz", StringComparison.Ordinal))
        {
            return raw;
        }

        if (!gzip)
        {
            throw new InvalidDataException($"missing gzip header (starts with {(raw.Length > 0 ? raw[0].ToString("x2", System.Globalization.CultureInfo.InvariantCulture) : "nothing")})");
        }

        using var input = new MemoryStream(raw, writable: false);
        using var unzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream(raw.Length * 2);
        unzip.CopyTo(output);
        return output.ToArray();
    }
}
