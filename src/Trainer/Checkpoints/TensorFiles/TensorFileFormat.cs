namespace AlgoPerf.Trainer.Checkpoints;

/// <summary>
/// The layout of a tensor file, version 1. Every integer is little-endian.
/// <code>
/// magic        8 bytes  0x89 'A' 'P' 'T' 'F' '\r' '\n' 0x1A
/// version      u32      1
/// file length  u64      total bytes, checksum included (a truncated or extended file is caught before hashing)
/// metadata     u32 n, then n bytes of UTF-8 (a JSON document by convention; empty when none)
/// count        u32      number of tensors, then for each, in the order they were given:
///   name       u32 n, then n bytes of UTF-8 (unique, non-empty)
///   dtype      i32      c10 ScalarType code (see <see cref="TorchSharp.torch.ScalarType"/>)
///   ndim       u32, then ndim × i64 sizes
///   data       u64 n, then n bytes: the elements row-major, n = numel × element size
/// checksum     32 bytes SHA-256 of every byte before it
/// </code>
/// </summary>
internal static class TensorFileFormat
{
    internal const uint Version = 1;
    internal const int ChecksumLength = 32;
    internal const int MaxNameBytes = 4096;
    internal const int MaxDims = 64;

    /// <summary>Bytes of magic, version, file length, metadata length and count: the smallest valid header.</summary>
    internal const int FixedHeaderLength = 8 + 4 + 8 + 4 + 4;

    /// <summary>Smallest entry: name length, one name byte, dtype, ndim, data length.</summary>
    internal const int MinEntryLength = 4 + 1 + 4 + 4 + 8;

    /// <summary>The PNG-style magic: a high byte and CR LF / Ctrl-Z catch text-mode and 7-bit mangling.</summary>
    internal static ReadOnlySpan<byte> Magic => [0x89, (byte)'A', (byte)'P', (byte)'T', (byte)'F', (byte)'\r', (byte)'\n', 0x1A];
}
