using System.Text;

using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Checkpoints;

/// <summary>
/// Saves and loads a named set of tensors plus a small metadata string (JSON by convention) to one checksummed file:
/// the storage under trial checkpoints. The layout is described in <see cref="TensorFileFormat"/>.
/// </summary>
/// <remarks>
/// <para><see cref="Save"/> is atomic: it writes a temporary file beside the target, flushes it to disk and renames it
/// over the target, so a crash leaves either the old file or the new one, never a mix.</para>
/// <para><see cref="Load"/> checks the magic, the version, the declared length and the SHA-256 checksum, then the
/// structure of every entry, all before it creates any tensor; anything wrong throws
/// <see cref="TensorFileCorruptException"/> naming the file and the field (and tensor).</para>
/// <para>Tensors are stored as their raw little-endian element bytes, so a round trip is bit-exact for every dtype.
/// Loaded tensors are contiguous CPU tensors without <c>requires_grad</c>; the caller copies them into place.</para>
/// </remarks>
public static partial class TensorFile
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Loads every tensor and the metadata of <paramref name="path"/>. The tensors belong to the returned contents
    /// (and, like every new tensor, to the innermost open <see cref="DisposeScope"/> of this thread).
    /// </summary>
    /// <exception cref="TensorFileCorruptException">The file is not a valid tensor file; nothing was created.</exception>
    /// <exception cref="IOException">The file cannot be read (missing, permissions).</exception>
    public static TensorFileContents Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = TensorFileReader.Open(path);
        var layout = reader.ReadVerifiedLayout();
        return reader.ReadTensors(layout);
    }

    /// <summary>
    /// Checks <paramref name="path"/> exactly as <see cref="Load"/> does (magic, version, length, checksum, structure)
    /// without creating tensors, and returns its metadata string.
    /// </summary>
    /// <exception cref="TensorFileCorruptException">The file is not a valid tensor file.</exception>
    public static string Verify(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = TensorFileReader.Open(path);
        return reader.ReadVerifiedLayout().Metadata;
    }

    private static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("tensor files store libtorch's element bytes as they are, which is little-endian only");
        }
    }
}
