using System.Collections;

namespace AlgoPerf.Trainer.Timing;

/// <summary>
/// A read-only view of the first <c>count</c> items of an append-only list: an immutable snapshot that costs one
/// small object instead of a copy, because items already in the list are never replaced or removed.
/// </summary>
internal sealed class ListPrefix<T>(List<T> items, int count) : IReadOnlyList<T>
{
    public int Count => count;

    public T this[int index] => (uint)index < (uint)count ? items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<T> GetEnumerator()
    {
        for (var i = 0; i < count; i++)
        {
            yield return items[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
