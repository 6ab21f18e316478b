namespace AlgoPerf.Trainer.Data;

/// <summary>
/// Generates the dev suite's click data (the Criteo analog) from a fixed random teacher, deterministically from a
/// seed. Stream 0 of the seed (<see cref="Xoshiro256StarStar.DeriveSeed"/>) draws the teacher, streams 1, 2, 3 the
/// train, validation and test examples, so a split's content does not depend on the other splits' sizes.
/// </summary>
/// <remarks>
/// Teacher: bias <see cref="TeacherBias"/>; dense weights <c>w_i ~ N(0, 0.5²)</c>; per feature j and category v a
/// scalar effect <c>e_j[v] ~ N(0, 0.5²)</c> and a factor <c>u_j[v] ∈ ℝ⁴ ~ N(0, 0.25²)</c>. Example: dense
/// <c>x_i ~ N(0, 1)</c>; category <c>c_j = ⌊1000·r²⌋</c> with <c>r ~ U[0, 1)</c> (low ids are more frequent, as
/// in click logs); logit <c>= b + Σ w_i x_i + Σ_j e_j[c_j] + Σ_{j&lt;k} ⟨u_j[c_j], u_k[c_k]⟩</c> (the pairwise term is
/// computed as <c>(‖Σ u‖² − Σ ‖u‖²) / 2</c>); label <c>~ Bernoulli(sigmoid(logit))</c>. Draw order per example:
/// 13 dense, 26 categories, then one uniform for the label.
/// </remarks>
public static class DlrmSynthetic
{
    /// <summary>Dense features per example (Criteo's 13).</summary>
    public const int DenseFeatures = 13;

    /// <summary>Categorical features per example (Criteo's 26).</summary>
    public const int CategoricalFeatures = 26;

    /// <summary>Categories per feature (the peer model's embedding vocabulary).</summary>
    public const int Vocabulary = 1000;

    /// <summary>The teacher's bias: a base click rate well below one half, as in click logs.</summary>
    public const double TeacherBias = -1.5;

    /// <summary>The default seed of the dev-suite data.</summary>
    public const ulong DefaultSeed = 0x444C524D; // "DLRM"

    private const int FactorRank = 4;

    /// <summary>Generates the three splits.</summary>
    public static DlrmData Generate(int trainCount, int validationCount, int testCount, ulong seed = DefaultSeed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trainCount);
        ArgumentOutOfRangeException.ThrowIfNegative(validationCount);
        ArgumentOutOfRangeException.ThrowIfNegative(testCount);
        var teacher = new Teacher(new Xoshiro256StarStar(Xoshiro256StarStar.DeriveSeed(seed, 0)));
        return new DlrmData(
            Draw("train", trainCount, teacher, new Xoshiro256StarStar(Xoshiro256StarStar.DeriveSeed(seed, 1))),
            Draw("validation", validationCount, teacher, new Xoshiro256StarStar(Xoshiro256StarStar.DeriveSeed(seed, 2))),
            Draw("test", testCount, teacher, new Xoshiro256StarStar(Xoshiro256StarStar.DeriveSeed(seed, 3))),
            seed);
    }

    private static DlrmSplit Draw(string name, int count, Teacher teacher, Xoshiro256StarStar rng)
    {
        var dense = new float[count * DenseFeatures];
        var categorical = new int[count * CategoricalFeatures];
        var labels = new float[count];
        Span<double> factorSum = stackalloc double[FactorRank];
        for (var n = 0; n < count; n++)
        {
            var logit = TeacherBias;
            for (var i = 0; i < DenseFeatures; i++)
            {
                var x = (float)rng.NextGaussian();
                dense[(n * DenseFeatures) + i] = x;
                logit += teacher.DenseWeights[i] * x;
            }

            factorSum.Clear();
            var squaredNorms = 0.0;
            for (var j = 0; j < CategoricalFeatures; j++)
            {
                var r = rng.NextDouble();
                var v = Math.Min(Vocabulary - 1, (int)(Vocabulary * r * r));
                categorical[(n * CategoricalFeatures) + j] = v;
                logit += teacher.Effects[(j * Vocabulary) + v];
                var u = teacher.Factors.AsSpan(((j * Vocabulary) + v) * FactorRank, FactorRank);
                for (var q = 0; q < FactorRank; q++)
                {
                    factorSum[q] += u[q];
                    squaredNorms += u[q] * u[q];
                }
            }

            var sumNorm = 0.0;
            for (var q = 0; q < FactorRank; q++)
            {
                sumNorm += factorSum[q] * factorSum[q];
            }

            logit += (sumNorm - squaredNorms) / 2;
            var p = 1.0 / (1.0 + Math.Exp(-logit));
            labels[n] = rng.NextDouble() < p ? 1f : 0f;
        }

        return new DlrmSplit(name, dense, categorical, labels);
    }

    private sealed class Teacher
    {
        public Teacher(Xoshiro256StarStar rng)
        {
            for (var i = 0; i < DenseFeatures; i++)
            {
                DenseWeights[i] = 0.5 * rng.NextGaussian();
            }

            for (var i = 0; i < Effects.Length; i++)
            {
                Effects[i] = 0.5 * rng.NextGaussian();
            }

            for (var i = 0; i < Factors.Length; i++)
            {
                Factors[i] = 0.25 * rng.NextGaussian();
            }
        }

        public double[] DenseWeights { get; } = new double[DenseFeatures];

        public double[] Effects { get; } = new double[CategoricalFeatures * Vocabulary];

        public double[] Factors { get; } = new double[CategoricalFeatures * Vocabulary * FactorRank];
    }
}
