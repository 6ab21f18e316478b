using TorchSharp;

namespace AlgoPerf.Trainer.Tensors;

/// <summary>
/// TorchSharp <see cref="Scalar"/>s that stay alive while LibTorch uses them. A .NET number passed where TorchSharp takes
/// a <see cref="Scalar"/> (<c>t.mul_(0.9)</c>) becomes a temporary with a finalizer that nothing references once
/// TorchSharp has read its handle, so the garbage collector may free it on the finalizer thread while the native op
/// still reads it (TorchSharp 0.107; dotnet/TorchSharp#1434 is open). A trial saw that as LibTorch failing
/// <c>Scalar::toFloat</c> in <c>leaky_relu</c> at step 922. <see cref="Of(double)"/> returns a Scalar this thread's cache holds,
/// so it is never finalized; the cache is disposed and emptied, on its own thread, when it passes
/// <see cref="Capacity"/> values (learning rates change every step).
/// </summary>
public static class Scalars
{
    /// <summary>Distinct values a thread keeps before it releases them all.</summary>
    public const int Capacity = 4096;

    [ThreadStatic]
    private static Dictionary<double, Scalar>? t_cache;

    [ThreadStatic]
    private static Dictionary<long, Scalar>? t_integers;

    /// <summary>
    /// The integer 1, for the <c>alpha</c> of <c>add</c>/<c>add_</c>: their one-argument overloads pass a temporary 1
    /// made inside TorchSharp, exposed the same way (LibTorch's <c>add_</c> failed on it in a quickstart trial).
    /// </summary>
    public static Scalar One => Of(1L);

    /// <summary>A Scalar of <paramref name="value"/> (double) that lives until this thread's cache is emptied.</summary>
    public static Scalar Of(double value) => Cached(ref t_cache, value, static v => v.ToScalar());

    /// <summary>An integer Scalar of <paramref name="value"/> (for integer tensors), kept as <see cref="Of(double)"/>.</summary>
    public static Scalar Of(long value) => Cached(ref t_integers, value, static v => v.ToScalar());

    private static Scalar Cached<T>(ref Dictionary<T, Scalar>? cache, T value, Func<T, Scalar> create)
        where T : notnull
    {
        cache ??= [];
        if (cache.TryGetValue(value, out var scalar))
        {
            return scalar;
        }

        if (cache.Count >= Capacity)
        {
            // Safe: every op that used one of these ran synchronously on this thread and has returned.
            foreach (var s in cache.Values)
            {
                s.Dispose();
            }

            cache.Clear();
        }

        scalar = create(value);
        cache[value] = scalar;
        return scalar;
    }
}
