using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Checkpoints;

/// <summary>
/// Reads a tensor file in three passes: the fixed header and the SHA-256 over the whole file, then the structure of
/// every entry (seeking past the data), and only then the tensors. Anything wrong before the last pass throws
/// <see cref="TensorFileCorruptException"/> without having created a tensor.
/// </summary>
internal sealed class TensorFileReader : IDisposable
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly FileStream _stream;
    private readonly string _path;

    /// <summary>Where the entries end and the checksum begins.</summary>
    private long _limit;

    private TensorFileReader(FileStream stream, string path)
    {
        _stream = stream;
        _path = path;
    }

    internal static TensorFileReader Open(string path)
    {
        var full = Path.GetFullPath(path);
        return new TensorFileReader(new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), full);
    }

    public void Dispose() => _stream.Dispose();

    internal TensorFileLayout ReadVerifiedLayout()
    {
        VerifyHeaderAndChecksum();
        _stream.Position = TensorFileFormat.FixedHeaderLength - 8;
        var metadataLength = ReadUInt32("metadata length");
        var metadata = DecodeUtf8(ReadBytes(checked((int)Math.Min(metadataLength, int.MaxValue)), "metadata"), "metadata");
        var count = ReadUInt32("tensor count");
        if (count > (_limit - _stream.Position) / TensorFileFormat.MinEntryLength)
        {
            throw Corrupt("tensor count", $"{count} tensors cannot fit in the {_limit - _stream.Position} bytes left");
        }

        var entries = new List<TensorFileLayout.Entry>((int)count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            entries.Add(ReadEntry(i, names));
        }

        if (_stream.Position != _limit)
        {
            throw Corrupt("structure", $"{_limit - _stream.Position} unexpected bytes after the last tensor");
        }

        return new TensorFileLayout(metadata, entries);
    }

    internal TensorFileContents ReadTensors(TensorFileLayout layout)
    {
        var loaded = new List<Tensor>(layout.Entries.Count);
        try
        {
            foreach (var e in layout.Entries)
            {
                _stream.Position = e.Offset;
                if (e.Length > int.MaxValue)
                {
                    throw Corrupt($"tensor '{e.Name}' data", $"{e.Length} bytes is more than one tensor of a checkpoint may hold");
                }

                var tensor = empty(e.Shape, e.Dtype).DetachFromDisposeScope();
                loaded.Add(tensor);
                if (e.Length > 0 && _stream.ReadAtLeast(tensor.bytes, (int)e.Length, throwOnEndOfStream: false) != e.Length)
                {
                    throw Corrupt($"tensor '{e.Name}' data", "the file shrank while it was being loaded");
                }
            }
        }
        catch
        {
            foreach (var t in loaded)
            {
                t.Dispose();
            }

            throw;
        }

        return new TensorFileContents(_path, layout.Metadata, [.. layout.Entries.Select(e => e.Name)], loaded);
    }

    private void VerifyHeaderAndChecksum()
    {
        var length = _stream.Length;
        Span<byte> header = stackalloc byte[TensorFileFormat.FixedHeaderLength - 8];
        var got = _stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        var magic = TensorFileFormat.Magic;
        if (!header[..Math.Min(got, magic.Length)].SequenceEqual(magic[..Math.Min(got, magic.Length)]))
        {
            throw Corrupt("magic", $"not a tensor file (expected {Convert.ToHexString(magic)}, found {Convert.ToHexString(header[..Math.Min(got, magic.Length)])})");
        }

        if (got < header.Length)
        {
            throw Corrupt("header", $"truncated: the file has only {length} bytes");
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != TensorFileFormat.Version)
        {
            throw Corrupt("version", $"unsupported format version {version} (this build reads version {TensorFileFormat.Version})");
        }

        var declared = BinaryPrimitives.ReadUInt64LittleEndian(header[12..]);
        if (declared < TensorFileFormat.FixedHeaderLength + TensorFileFormat.ChecksumLength)
        {
            throw Corrupt("file length", $"the header declares {declared} bytes, fewer than the smallest valid file");
        }

        if ((ulong)length < declared)
        {
            throw Corrupt("file length", $"truncated: the file has {length} bytes, its header declares {declared}");
        }

        if ((ulong)length > declared)
        {
            throw Corrupt("file length", $"{(ulong)length - declared} unexpected bytes after the {declared} its header declares");
        }

        _limit = length - TensorFileFormat.ChecksumLength;
        var computed = HashContent();
        Span<byte> stored = stackalloc byte[TensorFileFormat.ChecksumLength];
        _stream.Position = _limit;
        _stream.ReadExactly(stored);
        if (!stored.SequenceEqual(computed))
        {
            throw Corrupt("checksum", $"SHA-256 mismatch (stored {Convert.ToHexString(stored)}, computed {Convert.ToHexString(computed)}): the file is corrupt");
        }
    }

    private byte[] HashContent()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            _stream.Position = 0;
            for (var remaining = _limit; remaining > 0;)
            {
                var n = _stream.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
                if (n == 0)
                {
                    throw Corrupt("checksum", "the file shrank while it was being verified");
                }

                hash.AppendData(buffer, 0, n);
                remaining -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return hash.GetHashAndReset();
    }

    private TensorFileLayout.Entry ReadEntry(int index, HashSet<string> names)
    {
        var field = $"tensor #{index}";
        var nameLength = ReadUInt32($"{field} name length");
        if (nameLength is 0 or > TensorFileFormat.MaxNameBytes)
        {
            throw Corrupt($"{field} name length", $"{nameLength} is not in 1..{TensorFileFormat.MaxNameBytes}");
        }

        var name = DecodeUtf8(ReadBytes((int)nameLength, $"{field} name"), $"{field} name");
        field = $"tensor '{name}' (#{index})";
        if (!names.Add(name))
        {
            throw Corrupt($"{field} name", "the name appears twice");
        }

        var dtype = (ScalarType)(int)ReadUInt32($"{field} dtype");
        var elementSize = TensorBytes.ElementSize(dtype);
        if (elementSize == 0)
        {
            throw Corrupt($"{field} dtype", $"unknown dtype code {(int)dtype}");
        }

        var ndim = ReadUInt32($"{field} ndim");
        if (ndim > TensorFileFormat.MaxDims)
        {
            throw Corrupt($"{field} ndim", $"{ndim} dimensions (at most {TensorFileFormat.MaxDims})");
        }

        var shape = new long[ndim];
        long numel = 1;
        for (var d = 0; d < ndim; d++)
        {
            var size = ReadUInt64($"{field} shape");
            if (size > long.MaxValue || (numel != 0 && (long)size > long.MaxValue / elementSize / numel))
            {
                throw Corrupt($"{field} shape", $"dimension {d} of size {size} is too large");
            }

            shape[d] = (long)size;
            numel *= shape[d];
        }

        var dataLength = ReadUInt64($"{field} data length");
        if (dataLength != (ulong)(numel * elementSize))
        {
            throw Corrupt($"{field} data length", $"{dataLength} bytes, but shape [{string.Join(", ", shape)}] of {dtype} needs {numel * elementSize}");
        }

        var offset = _stream.Position;
        if ((long)dataLength > _limit - offset)
        {
            throw Corrupt($"{field} data", $"needs {dataLength} bytes at offset {offset}, only {_limit - offset} remain before the checksum");
        }

        _stream.Position = offset + (long)dataLength;
        return new TensorFileLayout.Entry(name, dtype, shape, offset, (long)dataLength);
    }

    private byte[] ReadBytes(int count, string field)
    {
        var position = _stream.Position;
        if (count > _limit - position)
        {
            throw Corrupt(field, $"needs {count} bytes at offset {position}, only {_limit - position} remain before the checksum");
        }

        var bytes = new byte[count];
        _stream.ReadExactly(bytes);
        return bytes;
    }

    private uint ReadUInt32(string field) => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4, field));

    private ulong ReadUInt64(string field) => BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8, field));

    private string DecodeUtf8(byte[] bytes, string field)
    {
        try
        {
            return s_strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new TensorFileCorruptException(_path, field, $"not valid UTF-8 ({e.Message})");
        }
    }

    private TensorFileCorruptException Corrupt(string field, string detail) => new(_path, field, detail);
}
