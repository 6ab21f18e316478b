namespace AlgoPerf.Trainer.Data;

/// <summary>
/// One split of a single-channel 8-bit image classification set, kept as managed bytes (compact; converted to
/// float tensors per batch).
/// </summary>
public sealed class ImageSplit
{
    /// <summary>Creates a split; <paramref name="pixels"/> holds <c>count × rows × cols</c> bytes row-major.</summary>
    /// <exception cref="ArgumentException">The array lengths do not match the sizes.</exception>
    public ImageSplit(string name, byte[] pixels, byte[] labels, int rows, int cols)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        if (pixels.LongLength != (long)labels.Length * rows * cols)
        {
            throw new ArgumentException($"split '{name}': {pixels.LongLength} pixel bytes do not match {labels.Length} images of {rows}x{cols}", nameof(pixels));
        }

        Name = name;
        Pixels = pixels;
        Labels = labels;
        Rows = rows;
        Cols = cols;
    }

    /// <summary>The split's name (<c>train</c>, <c>validation</c>, <c>test</c>).</summary>
    public string Name { get; }

    /// <summary>All images, row-major, <c>Count × Rows × Cols</c> bytes.</summary>
    public byte[] Pixels { get; }

    /// <summary>One class label per image.</summary>
    public byte[] Labels { get; }

    /// <summary>Image height.</summary>
    public int Rows { get; }

    /// <summary>Image width.</summary>
    public int Cols { get; }

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Pixels per image.</summary>
    public int ImageSize => Rows * Cols;

    /// <summary>
    /// Copies the images at <paramref name="indices"/> into <paramref name="destination"/> as
    /// <c>(pixel / 255 − mean) / std</c>, one image after another.
    /// </summary>
    public void CopyNormalized(ReadOnlySpan<int> indices, Span<float> destination, float mean, float std)
    {
        var size = ImageSize;
        if (destination.Length < indices.Length * size)
        {
            throw new ArgumentException($"destination holds {destination.Length} floats, {indices.Length} images need {indices.Length * size}", nameof(destination));
        }

        var scale = 1f / (255f * std);
        var shift = mean / std;
        for (var k = 0; k < indices.Length; k++)
        {
            var src = Pixels.AsSpan(indices[k] * size, size);
            var dst = destination.Slice(k * size, size);
            for (var p = 0; p < size; p++)
            {
                dst[p] = (src[p] * scale) - shift;
            }
        }
    }

    /// <summary>Copies the labels at <paramref name="indices"/> as 64-bit class indices (the dtype of cross-entropy targets).</summary>
    public void CopyLabels(ReadOnlySpan<int> indices, Span<long> destination)
    {
        for (var k = 0; k < indices.Length; k++)
        {
            destination[k] = Labels[indices[k]];
        }
    }

    /// <summary>
    /// Mean and standard deviation of all pixels scaled to [0, 1] (population formula), for input normalisation
    /// computed on the training split as the reference's <c>train_mean</c>/<c>train_stddev</c>.
    /// </summary>
    public (double Mean, double Std) PixelMeanStd()
    {
        Span<long> histogram = stackalloc long[256];
        foreach (var b in Pixels)
        {
            histogram[b]++;
        }

        double n = Pixels.LongLength, sum = 0, sumSq = 0;
        for (var v = 0; v < 256; v++)
        {
            var x = v / 255.0;
            sum += histogram[v] * x;
            sumSq += histogram[v] * x * x;
        }

        var mean = sum / n;
        return (mean, Math.Sqrt(Math.Max(0, (sumSq / n) - (mean * mean))));
    }
}
