using System.Globalization;
using System.Reflection;
using AlgoPerf.Contracts.Serialization;
using AlgoPerf.Contracts.Ids;

namespace AlgoPerf.Contracts.Tests.Serialization;

/// <summary>
/// Builds a sample instance of every registered event type through its widest constructor, with distinct non-default
/// values (and +infinity for some doubles), so a new event type is covered by the round-trip tests without editing
/// them. A parameter type it cannot fill fails the test naming the type, so the generator is extended consciously.
/// </summary>
public static class EventSamples
{
    /// <summary>One sample per registered type of <paramref name="registry"/>.</summary>
    /// <param name="registry">The registry.</param>
    /// <returns>(type info, sample) pairs.</returns>
    public static IReadOnlyList<(EventTypeInfo Info, object Sample)> For(EventTypeRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return [.. registry.Types.OrderBy(t => t.Tag, StringComparer.Ordinal).Select(t => (t, Create(t.Type, seed: t.Tag.Length)))];
    }

    /// <summary>A sample of <paramref name="type"/>.</summary>
    /// <param name="type">The type.</param>
    /// <param name="seed">Varies the values.</param>
    /// <returns>The instance.</returns>
    public static object Create(Type type, int seed)
    {
        ArgumentNullException.ThrowIfNull(type);
        var counter = seed;
        return Value(type, ref counter, type.Name);
    }

    private static object Value(Type type, ref int counter, string where)
    {
        counter++;
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            return Value(underlying, ref counter, where);
        }

        if (type == typeof(string))
        {
            return "s" + counter.ToString(CultureInfo.InvariantCulture);
        }

        if (type == typeof(int))
        {
            return counter;
        }

        if (type == typeof(long))
        {
            return 1_000_000_000_000L + counter;
        }

        if (type == typeof(ulong))
        {
            return ulong.MaxValue - (ulong)counter;
        }

        if (type == typeof(double))
        {
            return counter % 3 == 0 ? double.PositiveInfinity : counter + 0.1;
        }

        if (type == typeof(bool))
        {
            return counter % 2 == 0;
        }

        if (type == typeof(DateTimeOffset))
        {
            return new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(counter);
        }

        if (type.IsEnum)
        {
            var values = Enum.GetValues(type);
            return values.GetValue(counter % values.Length)!;
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var args = type.GetGenericArguments();
            if (definition == typeof(IReadOnlyList<>) || definition == typeof(IList<>) || definition == typeof(IEnumerable<>))
            {
                var list = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(args[0]))!;
                list.Add(Value(args[0], ref counter, where));
                list.Add(Value(args[0], ref counter, where));
                return list;
            }

            if (definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(IDictionary<,>))
            {
                var dictionary = (System.Collections.IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(args))!;
                dictionary.Add(Value(args[0], ref counter, where), Value(args[1], ref counter, where));
                dictionary.Add(Value(args[0], ref counter, where), Value(args[1], ref counter, where));
                return dictionary;
            }

            if (definition == typeof(KeyValuePair<,>))
            {
                return Activator.CreateInstance(type, Value(args[0], ref counter, where), Value(args[1], ref counter, where))!;
            }
        }

        if (type.IsClass && type.Namespace is { } ns && ns.StartsWith("AlgoPerf.", StringComparison.Ordinal)
            || type == typeof(TrialId) || type == typeof(StudyId))
        {
            var constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance).MaxBy(c => c.GetParameters().Length)
                ?? throw new InvalidOperationException($"{where}: {type.Name} has no public constructor");
            var parameters = constructor.GetParameters();
            var arguments = new object?[parameters.Length];
            for (var i = 0; i < parameters.Length; i++)
            {
                arguments[i] = Value(parameters[i].ParameterType, ref counter, $"{where}.{parameters[i].Name}");
            }

            return constructor.Invoke(arguments);
        }

        throw new InvalidOperationException($"EventSamples cannot build a {type} for {where}; extend EventSamples.Value");
    }
}
