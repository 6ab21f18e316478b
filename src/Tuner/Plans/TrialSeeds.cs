using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using AlgoPerf.Contracts.Ids;

namespace AlgoPerf.Tuner.Plans;

/// <summary>
/// Seeds derived from the run seed without salted hashes (<c>string.GetHashCode</c> changes per process), so a plan is
/// the same on every machine and after every restart. Each seed is the first bytes, big-endian, of
/// SHA-256 over a canonical encoding: a domain label, then every field in order, strings as a 4-byte big-endian
/// UTF-8 byte length followed by the bytes, integers as 8-byte big-endian two's complement.
/// <list type="bullet">
/// <item>trial seed (<c>algoperf/trial-seed/v1</c>, run seed, submission, workload, study, trial): 8 bytes, a <see cref="ulong"/>;</item>
/// <item>study shuffle seed (<c>algoperf/study-shuffle/v1</c>, run seed, submission, workload, study): 4 bytes, a
/// <see cref="uint"/> (<c>numpy.random.seed</c> takes 0 to 2^32 − 1);</item>
/// <item>workload shuffle seed (<c>algoperf/workload-shuffle/v1</c>, run seed, submission, workload): 4 bytes, for the
/// disjoint policy, where all studies of a workload share one sequence.</item>
/// </list>
/// </summary>
public static class TrialSeeds
{
    /// <summary>The seed of one trial's RNGs.</summary>
    public static ulong Trial(ulong runSeed, TrialId trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var digest = Hash("algoperf/trial-seed/v1", runSeed, trial.Submission, trial.Workload, trial.Study, trial.Trial);
        return BinaryPrimitives.ReadUInt64BigEndian(digest);
    }

    /// <summary>The seed of a study's final point shuffle under the reference policy.</summary>
    public static uint StudyShuffle(ulong runSeed, StudyId study)
    {
        ArgumentNullException.ThrowIfNull(study);
        var digest = Hash("algoperf/study-shuffle/v1", runSeed, study.Submission, study.Workload, study.Study);
        return BinaryPrimitives.ReadUInt32BigEndian(digest);
    }

    /// <summary>The seed of a workload's shared point shuffle under the disjoint policy.</summary>
    public static uint WorkloadShuffle(ulong runSeed, string submission, string workload)
    {
        var digest = Hash("algoperf/workload-shuffle/v1", runSeed, submission, workload);
        return BinaryPrimitives.ReadUInt32BigEndian(digest);
    }

    /// <summary>The canonical encoding of the fields (see the type's remarks).</summary>
    internal static byte[] Encode(string domain, ulong runSeed, params object[] fields)
    {
        using var buffer = new MemoryStream();
        WriteString(buffer, domain);
        WriteInt64(buffer, unchecked((long)runSeed));
        foreach (var field in fields)
        {
            switch (field)
            {
                case string s:
                    WriteString(buffer, s);
                    break;
                case int i:
                    WriteInt64(buffer, i);
                    break;
                default:
                    throw new ArgumentException($"unsupported seed field type {field?.GetType().Name ?? "null"}", nameof(fields));
            }
        }

        return buffer.ToArray();
    }

    private static byte[] Hash(string domain, ulong runSeed, params object[] fields) => SHA256.HashData(Encode(domain, runSeed, fields));

    private static void WriteString(MemoryStream buffer, string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var bytes = Encoding.UTF8.GetBytes(s);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        buffer.Write(length);
        buffer.Write(bytes);
    }

    private static void WriteInt64(MemoryStream buffer, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        buffer.Write(bytes);
    }
}
