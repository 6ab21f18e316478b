namespace AlgoPerf.Trainer.Data;

/// <summary>
/// Loads Fashion-MNIST from Debian's <c>dataset-fashion-mnist</c> package and makes the dev suite's fixed split:
/// the training file's 60,000 images are permuted by <see cref="Xoshiro256StarStar"/> seeded with
/// <see cref="SplitSeed"/>; the first 55,000 positions of the permutation are train and the last 5,000 validation,
/// each kept in the file's original order; the 10,000-image test file is the test split.
/// </summary>
public static class FashionMnist
{
    /// <summary>Where Debian installs the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The seed of the train/validation permutation (ASCII "FMNIST" as a number). Changing it changes the split.</summary>
    public const ulong SplitSeed = 0x46_4D_4E_49_53_54;

    /// <summary>Images of the training file that form the validation split.</summary>
    public const int ValidationCount = 5_000;

    /// <summary>Number of classes.</summary>
    public const int Classes = 10;

    /// <summary>Image side length.</summary>
    public const int Side = 28;

    /// <summary>Loads the four files from <paramref name="directory"/> (gzipped or not) and splits them.</summary>
    /// <exception cref="FileNotFoundException">A file is missing (install <c>dataset-fashion-mnist</c>).</exception>
    /// <exception cref="InvalidDataException">A file is corrupt or has unexpected sizes; the message names it.</exception>
    public static FashionMnistData Load(string directory = DefaultDirectory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var (trainPixels, trainLabels) = ReadPair(directory, "train");
        var (testPixels, testLabels) = ReadPair(directory, "t10k");
        if (trainLabels.Length <= ValidationCount)
        {
            throw new InvalidDataException($"{directory}: the training file has {trainLabels.Length} images, fewer than the {ValidationCount} validation images");
        }

        var permutation = new Xoshiro256StarStar(SplitSeed).Permutation(trainLabels.Length);
        var trainIndices = permutation.AsSpan(0, trainLabels.Length - ValidationCount).ToArray();
        var validationIndices = permutation.AsSpan(trainLabels.Length - ValidationCount).ToArray();
        Array.Sort(trainIndices);
        Array.Sort(validationIndices);
        return new FashionMnistData(
            Subset("train", trainPixels, trainLabels, trainIndices),
            Subset("validation", trainPixels, trainLabels, validationIndices),
            new ImageSplit("test", testPixels, testLabels, Side, Side));
    }

    private static (byte[] Pixels, byte[] Labels) ReadPair(string directory, string prefix)
    {
        var images = IdxReader.Read(Find(directory, $"{prefix}-images-idx3-ubyte"));
        var labels = IdxReader.Read(Find(directory, $"{prefix}-labels-idx1-ubyte"));
        if (images.Dimensions is not [var n, Side, Side])
        {
            throw new InvalidDataException($"{images.Path}: expected dimensions [n, {Side}, {Side}], found [{string.Join(", ", images.Dimensions)}]");
        }

        if (labels.Dimensions is not [var m] || m != n)
        {
            throw new InvalidDataException($"{labels.Path}: expected dimensions [{n}] to match {images.Path}, found [{string.Join(", ", labels.Dimensions)}]");
        }

        var bad = Array.FindIndex(labels.Data, l => l >= Classes);
        if (bad >= 0)
        {
            throw new InvalidDataException($"{labels.Path}: label {labels.Data[bad]} at index {bad} is not a class in 0..{Classes - 1}");
        }

        return (images.Data, labels.Data);
    }

    private static string Find(string directory, string name)
    {
        foreach (var candidate in new[] { name + ".gz", name })
        {
            var path = Path.Combine(directory, candidate);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException(
            $"Fashion-MNIST file {Path.Combine(directory, name)}(.gz) not found; install Debian's dataset-fashion-mnist (scripts/bootstrap.sh)",
            Path.Combine(directory, name + ".gz"));
    }

    private static ImageSplit Subset(string name, byte[] pixels, byte[] labels, int[] indices)
    {
        const int size = Side * Side;
        var subPixels = new byte[indices.Length * size];
        var subLabels = new byte[indices.Length];
        for (var k = 0; k < indices.Length; k++)
        {
            pixels.AsSpan(indices[k] * size, size).CopyTo(subPixels.AsSpan(k * size, size));
            subLabels[k] = labels[indices[k]];
        }

        return new ImageSplit(name, subPixels, subLabels, Side, Side);
    }
}
