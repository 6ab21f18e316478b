using System.Globalization;
using System.Text;

namespace AlgoPerf.Tuner.SearchSpaces;

/// <summary>
/// One trial's hyperparameters: names and values in search-space key order (the order of the reference's
/// <c>Hyperparameters</c> namedtuple). Equal when the names and values are equal, in order, bit for bit.
/// </summary>
public sealed class HyperparameterPoint : IEquatable<HyperparameterPoint>
{
    /// <summary>A point from name/value pairs, kept in the given order.</summary>
    public HyperparameterPoint(IEnumerable<KeyValuePair<string, double>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Values = values.ToList();
    }

    /// <summary>The point with no hyperparameters (self-tuning).</summary>
    public static HyperparameterPoint Empty { get; } = new([]);

    /// <summary>Name to value, in search-space order.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Values { get; }

    /// <summary>The value of a hyperparameter.</summary>
    /// <exception cref="KeyNotFoundException">No hyperparameter of that name.</exception>
    public double this[string name]
    {
        get
        {
            foreach (var kv in Values)
            {
                if (kv.Key == name)
                {
                    return kv.Value;
                }
            }

            throw new KeyNotFoundException($"no hyperparameter '{name}' (have: {string.Join(", ", Values.Select(v => v.Key))})");
        }
    }

    /// <inheritdoc/>
    public bool Equals(HyperparameterPoint? other)
    {
        if (other is null || other.Values.Count != Values.Count)
        {
            return false;
        }

        for (var i = 0; i < Values.Count; i++)
        {
            if (Values[i].Key != other.Values[i].Key || BitConverter.DoubleToInt64Bits(Values[i].Value) != BitConverter.DoubleToInt64Bits(other.Values[i].Value))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as HyperparameterPoint);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var kv in Values)
        {
            hash.Add(kv.Key);
            hash.Add(kv.Value);
        }

        return hash.ToHashCode();
    }

    /// <summary><c>{name=value, ...}</c> with round-trip values.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("{");
        for (var i = 0; i < Values.Count; i++)
        {
            sb.Append(i == 0 ? string.Empty : ", ").Append(Values[i].Key).Append('=').Append(Values[i].Value.ToString("R", CultureInfo.InvariantCulture));
        }

        return sb.Append('}').ToString();
    }
}
