namespace AlgoPerf.Tuner.Halton;

/// <summary>
/// AlgoPerf's scrambled Halton sequence (<c>algoperf/halton.py</c> <c>generate_sequence</c>, <c>algoperf-rules.md</c>
/// §6.1), reproduced bit for bit: one scrambled, shifted Van der Corput sequence per dimension, each with its own
/// prime base and its own NumPy legacy RNG seeded with that prime; the first <see cref="Skip"/> points dropped.
/// </summary>
public static class HaltonSequence
{
    /// <summary>Points dropped at the start of each dimension (the reference's default <c>skip=100</c>).</summary>
    public const int Skip = 100;

    /// <summary>
    /// <c>generate_primes(n)</c>: the odd primes below <paramref name="n"/> by the sieve of Sundaram, ascending
    /// (2 is not included, as in the reference).
    /// </summary>
    public static IReadOnlyList<int> Primes(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 3);
        var halfM1 = (n - 2) / 2;
        var sieve = new bool[halfM1 + 1];
        for (var outer = 1; outer <= halfM1; outer++)
        {
            for (var inner = outer; outer + inner + (2L * outer * inner) <= halfM1; inner++)
            {
                sieve[outer + inner + (2 * outer * inner)] = true;
            }
        }

        var primes = new List<int>();
        for (var i = 1; i <= halfM1; i++)
        {
            if (!sieve[i])
            {
                primes.Add((2 * i) + 1);
            }
        }

        return primes;
    }

    /// <summary>
    /// The prime base of each dimension: <c>primes[-D-1:-1]</c> of <c>generate_primes(1000·k)</c> for the smallest k
    /// that yields more than D primes. D=1 gives [991]; D=7 gives [947, 953, 967, 971, 977, 983, 991].
    /// </summary>
    public static IReadOnlyList<int> Bases(int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dimensions);
        IReadOnlyList<int> primes = [];
        for (var attempt = 1; primes.Count < dimensions + 1; attempt++)
        {
            primes = Primes(1000 * attempt);
        }

        return primes.Skip(primes.Count - dimensions - 1).Take(dimensions).ToList();
    }

    /// <summary>
    /// The unshuffled sequence (<c>generate_sequence(n, D, shuffle_sequence=False)</c>): <paramref name="count"/>
    /// points of <paramref name="dimensions"/> coordinates in [0, 1), point-major.
    /// </summary>
    public static double[][] Generate(int count, int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var bases = Bases(dimensions);
        var points = new double[count][];
        for (var i = 0; i < count; i++)
        {
            points[i] = new double[dimensions];
        }

        for (var d = 0; d < dimensions; d++)
        {
            var column = Dimension(count + Skip, bases[d]);
            for (var i = 0; i < count; i++)
            {
                points[i][d] = column[Skip + i];
            }
        }

        return points;
    }

    /// <summary>
    /// The shuffled sequence: <see cref="Generate"/>, then the point list shuffled as <c>numpy.random.shuffle</c>
    /// does after <c>numpy.random.seed(shuffleSeed)</c>. The reference leaves NumPy's global RNG unseeded; a seed makes
    /// the order reproducible.
    /// </summary>
    public static double[][] GenerateShuffled(int count, int dimensions, uint shuffleSeed)
    {
        var points = Generate(count, dimensions);
        new NumpyLegacyRandom(shuffleSeed).Shuffle(points);
        return points;
    }

    /// <summary><c>_generate_dim(n, base, per_dim_shift=True)</c>: the first n values of one scrambled, shifted dimension.</summary>
    private static double[] Dimension(int count, int primeBase)
    {
        var rng = new NumpyLegacyRandom((uint)primeBase);
        var permutation = new List<int>(primeBase);
        for (var v = 1; v < primeBase; v++)
        {
            permutation.Add(v);
        }

        rng.Shuffle(permutation);
        permutation.Insert(0, 0);
        var shift = rng.RandomSample();

        var values = new double[count];
        for (var index = 1; index <= count; index++)
        {
            // Scrambled radical inverse: digits least significant first, digit k weighted by 1 / base^(k+1).
            // Python divides two ints (correctly rounded); both are exact in a double here, so the quotient is identical.
            var num = 0.0;
            double denominator = primeBase;
            for (var i = index; i > 0; i /= primeBase)
            {
                num += permutation[i % primeBase] / denominator;
                denominator *= primeBase;
            }

            values[index - 1] = FMod(num + shift, 1.0);
        }

        return values;
    }

    /// <summary>Python's <c>math.fmod</c>: C's <c>fmod</c>, which C#'s <c>%</c> on doubles computes exactly.</summary>
    private static double FMod(double x, double y) => x % y;
}
