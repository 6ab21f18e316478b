using System.Buffers.Binary;
using System.Security.Cryptography;

using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Checkpoints;

public static partial class TensorFile
{
    /// <summary>
    /// Writes <paramref name="tensors"/> (in the order given) and <paramref name="metadata"/> to
    /// <paramref name="path"/>, atomically replacing any existing file.
    /// </summary>
    /// <exception cref="ArgumentException">A name is empty, too long or repeated; a tensor is disposed or of a dtype
    /// tensor files do not store.</exception>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, string metadata = "")
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(metadata);
        EnsureLittleEndian();

        var entries = Describe(tensors);
        var metadataBytes = s_strictUtf8.GetBytes(metadata);
        long total = TensorFileFormat.FixedHeaderLength + metadataBytes.Length + TensorFileFormat.ChecksumLength;
        foreach (var e in entries)
        {
            total = checked(total + e.HeaderLength + e.DataLength);
        }

        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var writer = new HashingWriter(stream, hash);
                writer.Write(TensorFileFormat.Magic);
                writer.WriteUInt32(TensorFileFormat.Version);
                writer.WriteUInt64((ulong)total);
                writer.WriteUInt32((uint)metadataBytes.Length);
                writer.Write(metadataBytes);
                writer.WriteUInt32((uint)entries.Count);
                foreach (var e in entries)
                {
                    writer.WriteUInt32((uint)e.Name.Length);
                    writer.Write(e.Name);
                    writer.WriteUInt32((uint)(int)e.Dtype);
                    writer.WriteUInt32((uint)e.Shape.Length);
                    foreach (var d in e.Shape)
                    {
                        writer.WriteUInt64((ulong)d);
                    }

                    writer.WriteUInt64((ulong)e.DataLength);
                    writer.WriteTensorData(e.Tensor, e.DataLength);
                }

                Span<byte> checksum = stackalloc byte[TensorFileFormat.ChecksumLength];
                hash.GetHashAndReset(checksum);
                stream.Write(checksum);
                if (stream.Position != total)
                {
                    throw new InvalidOperationException($"tensor file writer produced {stream.Position} bytes, expected {total}");
                }

                stream.Flush(flushToDisk: true);
            }

            DurableFile.Replace(temp, full);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static List<Entry> Describe(IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        var entries = new List<Entry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            if (string.IsNullOrEmpty(name))
            {
                throw new ArgumentException($"tensor #{entries.Count} has an empty name", nameof(tensors));
            }

            if (!seen.Add(name))
            {
                throw new ArgumentException($"tensor name '{name}' appears twice", nameof(tensors));
            }

            var nameBytes = s_strictUtf8.GetBytes(name);
            if (nameBytes.Length > TensorFileFormat.MaxNameBytes)
            {
                throw new ArgumentException($"tensor name '{name[..32]}...' is {nameBytes.Length} bytes long; at most {TensorFileFormat.MaxNameBytes} are stored", nameof(tensors));
            }

            if (tensor is null || tensor.IsInvalid)
            {
                throw new ArgumentException($"tensor '{name}' is {(tensor is null ? "null" : "disposed")}", nameof(tensors));
            }

            var dtype = tensor.dtype;
            var elementSize = TensorBytes.ElementSize(dtype);
            if (elementSize == 0)
            {
                throw new ArgumentException($"tensor '{name}' has dtype {dtype}, which tensor files do not store", nameof(tensors));
            }

            var shape = tensor.shape;
            if (shape.Length > TensorFileFormat.MaxDims)
            {
                throw new ArgumentException($"tensor '{name}' has {shape.Length} dimensions; at most {TensorFileFormat.MaxDims} are stored", nameof(tensors));
            }

            entries.Add(new Entry(nameBytes, tensor, dtype, shape, checked(tensor.numel() * elementSize)));
        }

        return entries;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original failure is what the caller needs to see; a leftover temp file is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    private sealed record Entry(byte[] Name, Tensor Tensor, ScalarType Dtype, long[] Shape, long DataLength)
    {
        public long HeaderLength => 4 + Name.Length + 4 + 4 + (8L * Shape.Length) + 8;
    }

    /// <summary>Writes to the file and feeds the same bytes to the checksum.</summary>
    private readonly struct HashingWriter(FileStream stream, IncrementalHash hash)
    {
        /// <summary>Tensor data goes through native memory in chunks a span can address.</summary>
        private const int ChunkBytes = 1 << 30;

        public void Write(ReadOnlySpan<byte> bytes)
        {
            stream.Write(bytes);
            hash.AppendData(bytes);
        }

        public void WriteUInt32(uint value)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(b, value);
            Write(b);
        }

        public void WriteUInt64(ulong value)
        {
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(b, value);
            Write(b);
        }

        public void WriteTensorData(Tensor tensor, long length)
        {
            using var scope = NewDisposeScope();
            var bytes = (ReadOnlySpan<byte>)TensorBytes.Host(tensor).bytes;
            for (var offset = 0; offset < bytes.Length; offset += ChunkBytes)
            {
                Write(bytes.Slice(offset, Math.Min(ChunkBytes, bytes.Length - offset)));
            }

            if (bytes.Length != length)
            {
                throw new InvalidOperationException($"tensor changed size while it was being written ({bytes.Length} of {length} bytes)");
            }
        }
    }
}
