namespace AlgoPerf.Tuner.Halton;

/// <summary>
/// The parts of NumPy's legacy <c>numpy.random.RandomState</c> that AlgoPerf's Halton generator uses, reimplemented
/// bit for bit: MT19937 seeded by <c>init_genrand</c> (what <c>RandomState(int)</c> and <c>numpy.random.seed(int)</c>
/// do for an integer seed), the 32-bit output, <c>random_sample</c> (53-bit doubles from two outputs), the bounded
/// integer <c>random_interval</c> (mask-and-reject) and the Fisher–Yates <c>shuffle</c> of a Python list.
/// </summary>
/// <remarks>
/// Only the legacy stream is reproduced. <c>numpy.random.Generator</c> draws bounded integers differently
/// (Lemire's method) and would give other permutations.
/// </remarks>
public sealed class NumpyLegacyRandom
{
    private const int N = 624;
    private const int M = 397;
    private const uint MatrixA = 0x9908b0dfU;
    private const uint UpperMask = 0x80000000U;
    private const uint LowerMask = 0x7fffffffU;

    private readonly uint[] _key = new uint[N];
    private int _pos;

    /// <summary>A generator in the state of <c>numpy.random.RandomState(seed)</c>.</summary>
    /// <param name="seed">The integer seed (NumPy accepts 0 to 2^32 − 1).</param>
    public NumpyLegacyRandom(uint seed)
    {
        // init_genrand: key[0] = seed, key[i] = 1812433253 * (key[i-1] ^ (key[i-1] >> 30)) + i, modulo 2^32.
        var s = seed;
        for (var i = 0; i < N; i++)
        {
            _key[i] = s;
            s = unchecked((1812433253U * (s ^ (s >> 30))) + (uint)i + 1U);
        }

        _pos = N;
    }

    /// <summary>The next raw 32-bit output of MT19937 (tempered).</summary>
    public uint NextUInt32()
    {
        if (_pos == N)
        {
            Regenerate();
        }

        var y = _key[_pos++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680U;
        y ^= (y << 15) & 0xefc60000U;
        y ^= y >> 18;
        return y;
    }

    /// <summary><c>random_sample()</c>: a double in [0, 1) from 27 + 26 bits of two outputs.</summary>
    public double RandomSample()
    {
        var a = NextUInt32() >> 5;
        var b = NextUInt32() >> 6;
        return ((a * 67108864.0) + b) / 9007199254740992.0;
    }

    /// <summary>
    /// <c>random_interval(max)</c>: a uniform integer in [0, max], drawn by masking 32-bit outputs to the smallest
    /// all-ones mask covering <paramref name="max"/> and rejecting values above it.
    /// </summary>
    /// <param name="max">Inclusive upper bound; this port covers bounds below 2^32, the only ones shuffles of lists need.</param>
    public uint Interval(uint max)
    {
        if (max == 0)
        {
            return 0;
        }

        var mask = max;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        uint value;
        do
        {
            value = NextUInt32() & mask;
        }
        while (value > max);
        return value;
    }

    /// <summary>
    /// <c>shuffle(x)</c> of a Python list (the untyped path): for i from n − 1 down to 1, swap x[i] with
    /// x[<see cref="Interval"/>(i)].
    /// </summary>
    public void Shuffle<T>(IList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (var i = items.Count - 1; i >= 1; i--)
        {
            var j = (int)Interval((uint)i);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private void Regenerate()
    {
        int i;
        for (i = 0; i < N - M; i++)
        {
            var y = (_key[i] & UpperMask) | (_key[i + 1] & LowerMask);
            _key[i] = _key[i + M] ^ (y >> 1) ^ Mag(y);
        }

        for (; i < N - 1; i++)
        {
            var y = (_key[i] & UpperMask) | (_key[i + 1] & LowerMask);
            _key[i] = _key[i + M - N] ^ (y >> 1) ^ Mag(y);
        }

        var last = (_key[N - 1] & UpperMask) | (_key[0] & LowerMask);
        _key[N - 1] = _key[M - 1] ^ (last >> 1) ^ Mag(last);
        _pos = 0;
    }

    private static uint Mag(uint y) => (y & 1U) == 0 ? 0U : MatrixA;
}
