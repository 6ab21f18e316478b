using AlgoPerf.Trainer.Data;

namespace AlgoPerf.Trainer.Tests.Data;

public sealed class FashionMnistTests : IClassFixture<FashionMnistTests.Loaded>
{
    private readonly FashionMnistData _data;

    public FashionMnistTests(Loaded loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        _data = loaded.Data;
    }

    [Fact]
    public void Load_DebianFiles_FixedSplitSizes()
    {
        Assert.Equal((55_000, 5_000, 10_000), (_data.Train.Count, _data.Validation.Count, _data.Test.Count));
        Assert.Equal(55_000 * 784, _data.Train.Pixels.Length);
        Assert.Equal((28, 28), (_data.Test.Rows, _data.Test.Cols));
    }

    [Fact]
    public void Load_TestSplit_IsTheTestFileInOrder()
    {
        Assert.Equal([9, 2, 1, 1, 6, 1, 4, 6, 5, 7], _data.Test.Labels[..10]);
        Assert.Equal(33_456, _data.Test.Pixels[..784].Sum(b => (int)b));
        Assert.All(Histogram(_data.Test.Labels), c => Assert.Equal(1_000, c));
    }

    [Fact]
    public void Load_TrainAndValidation_PartitionTheTrainingFile()
    {
        var train = Histogram(_data.Train.Labels);
        var validation = Histogram(_data.Validation.Labels);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(6_000, train[c] + validation[c]));
        // A random 5,000 of 60,000: every class is represented in validation.
        Assert.All(validation, c => Assert.InRange(c, 400, 600));
    }

    [Fact]
    public void Load_Twice_IdenticalSplit()
    {
        var again = FashionMnist.Load();
        Assert.Equal(_data.Validation.Labels, again.Validation.Labels);
        Assert.Equal(_data.Validation.Pixels, again.Validation.Pixels);
    }

    [Fact]
    public void Load_MissingDirectory_FileNotFoundNamingFileAndPackage()
    {
        var dir = Path.Combine(Path.GetTempPath(), "no-such-fmnist-" + Guid.NewGuid());
        var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(dir));
        Assert.Contains(Path.Combine(dir, "train-images-idx3-ubyte"), e.Message, StringComparison.Ordinal);
        Assert.Contains("dataset-fashion-mnist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LabelCountMismatch_InvalidDataNamingLabelFile()
    {
        var dir = Directory.CreateTempSubdirectory("fmnist-bad-").FullName;
        try
        {
            IdxReaderTests.WriteGz(Path.Combine(dir, "train-images-idx3-ubyte.gz"), IdxReaderTests.Idx(8, [2, 28, 28], new byte[2 * 784]));
            IdxReaderTests.WriteGz(Path.Combine(dir, "train-labels-idx1-ubyte.gz"), IdxReaderTests.Idx(8, [3], [1, 2, 3]));
            var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(dir));
            Assert.Contains("train-labels-idx1-ubyte.gz", e.Message, StringComparison.Ordinal);
            Assert.Contains("expected dimensions [2]", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void CopyNormalized_TwoPixelImages_ScaledAndShifted()
    {
        var split = new ImageSplit("s", [0, 255, 51, 102], [1, 2], 1, 2);
        var dest = new float[4];
        split.CopyNormalized([1, 0], dest, mean: 0.5f, std: 0.25f);
        Assert.Equal([(0.2f - 0.5f) / 0.25f, (0.4f - 0.5f) / 0.25f, -2f, 2f], dest, (a, b) => Math.Abs(a - b) < 1e-6f);

        var labels = new long[2];
        split.CopyLabels([1, 0], labels);
        Assert.Equal([2L, 1L], labels);
    }

    [Fact]
    public void PixelMeanStd_KnownPixels_PopulationStatistics()
    {
        var split = new ImageSplit("s", [0, 255, 0, 255], [0, 0], 1, 2);
        Assert.Equal((0.5, 0.5), split.PixelMeanStd());
    }

    private static int[] Histogram(byte[] labels)
    {
        var h = new int[10];
        foreach (var l in labels)
        {
            h[l]++;
        }

        return h;
    }

    /// <summary>Loads the real data once for the class.</summary>
    public sealed class Loaded
    {
        public FashionMnistData Data { get; } = FashionMnist.Load();
    }
}
