using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace AlgoPerf.Trainer.Checkpoints;

/// <summary>
/// A trial's checkpoints in its directory: <c>checkpoint_&lt;step&gt;.ckpt</c>, each one tensor file (atomic write,
/// SHA-256 checksum; <see cref="TensorFile"/>) whose metadata is the JSON of <see cref="CheckpointMetadata"/>.
/// The newest <see cref="Keep"/> files are kept (the latest and the previous one by default), so a checkpoint found
/// corrupt on resume leaves an older one to fall back to; a corrupt file is renamed to <c>*.corrupt</c> so it is
/// neither tried again nor pruned in place of a good one.
/// </summary>
public sealed class CheckpointStore
{
    /// <summary>The extension of checkpoint files.</summary>
    public const string Extension = ".ckpt";

    private const string Prefix = "checkpoint_";

    /// <summary>A store over <paramref name="directory"/> keeping the newest <paramref name="keep"/> checkpoints (at least 2).</summary>
    public CheckpointStore(string directory, int keep = 2)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 2);
        Directory = directory;
        Keep = keep;
    }

    /// <summary>The directory holding the checkpoints (the trial directory).</summary>
    public string Directory { get; }

    /// <summary>How many checkpoints are kept.</summary>
    public int Keep { get; }

    /// <summary>The file name of the checkpoint at <paramref name="globalStep"/>.</summary>
    public static string FileName(long globalStep) => Prefix + globalStep.ToString(CultureInfo.InvariantCulture) + Extension;

    /// <summary>The checkpoints present, newest (highest step) first.</summary>
    public IReadOnlyList<(long GlobalStep, string Path)> List()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var found = new List<(long, string)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, Prefix + "*" + Extension))
        {
            var name = Path.GetFileName(path);
            var digits = name[Prefix.Length..^Extension.Length];
            if (digits.Length > 0 && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var step))
            {
                found.Add((step, path));
            }
        }

        return [.. found.OrderByDescending(f => f.Item1)];
    }

    /// <summary>
    /// Writes a checkpoint (atomically, replacing one of the same step), then removes all but the newest
    /// <see cref="Keep"/>. Returns where it went, its SHA-256, size and the time taken.
    /// </summary>
    public CheckpointInfo Save(CheckpointHeader header, CheckpointWriter writer)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(writer);
        var started = Stopwatch.GetTimestamp();
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, FileName(header.GlobalStep));
        var metadata = CheckpointMetadata.Write(header, writer.Scalars);
        TensorFile.Save(path, writer.Tensors, metadata);
        string sha;
        long bytes;
        using (var stream = File.OpenRead(path))
        {
            bytes = stream.Length;
            sha = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        foreach (var (_, old) in List().Skip(Keep))
        {
            File.Delete(old);
        }

        return new CheckpointInfo(path, header.GlobalStep, sha, bytes, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>
    /// Loads and verifies one checkpoint (checksum, structure, metadata fields). The caller disposes the result,
    /// which owns the loaded tensors.
    /// </summary>
    /// <exception cref="TensorFileCorruptException">The file is corrupt; the message names the file and the field.</exception>
    public static LoadedCheckpoint Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var contents = TensorFile.Load(path);
        try
        {
            var (header, scalars) = CheckpointMetadata.Parse(path, contents.Metadata);
            return new LoadedCheckpoint(path, header, new CheckpointReader(contents, scalars), contents);
        }
        catch
        {
            contents.Dispose();
            throw;
        }
    }

    /// <summary>Renames a checkpoint found corrupt to <c>&lt;name&gt;.corrupt</c> (kept for inspection, never tried again).</summary>
    public static string Quarantine(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var target = path + ".corrupt";
        File.Move(path, target, overwrite: true);
        return target;
    }
}
