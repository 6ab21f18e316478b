namespace AlgoPerf.Trainer.Data;

/// <summary>
/// One split of a byte-level text corpus, cut into non-overlapping training windows: example <c>i</c> is the
/// <see cref="ContextLength"/> bytes starting at <c>i × ContextLength</c> as inputs and the same range shifted by one
/// byte as next-byte targets. The last, incomplete window is dropped.
/// </summary>
public sealed class TextSplit
{
    /// <summary>Creates a split over <paramref name="bytes"/>.</summary>
    public TextSplit(string name, byte[] bytes, int contextLength)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(contextLength);
        Name = name;
        Bytes = bytes;
        ContextLength = contextLength;
    }

    /// <summary>The split's name.</summary>
    public string Name { get; }

    /// <summary>The split's text as bytes.</summary>
    public byte[] Bytes { get; }

    /// <summary>Bytes per example (the model's context).</summary>
    public int ContextLength { get; }

    /// <summary>Number of complete windows: <c>(length − 1) / ContextLength</c> (each needs one extra target byte).</summary>
    public int Count => Bytes.Length <= 1 ? 0 : (Bytes.Length - 1) / ContextLength;

    /// <summary>Copies the windows at <paramref name="indices"/> as 64-bit token ids: inputs and next-byte targets.</summary>
    public void CopyWindows(ReadOnlySpan<int> indices, Span<long> inputs, Span<long> targets)
    {
        var t = ContextLength;
        if (inputs.Length < indices.Length * t || targets.Length < indices.Length * t)
        {
            throw new ArgumentException($"{indices.Length} windows of {t} need {indices.Length * t} tokens per destination");
        }

        for (var k = 0; k < indices.Length; k++)
        {
            var i = indices[k];
            if ((uint)i >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), i, $"window index out of range 0..{Count - 1} in split '{Name}'");
            }

            var src = Bytes.AsSpan(i * t, t + 1);
            for (var j = 0; j < t; j++)
            {
                inputs[(k * t) + j] = src[j];
                targets[(k * t) + j] = src[j + 1];
            }
        }
    }
}
