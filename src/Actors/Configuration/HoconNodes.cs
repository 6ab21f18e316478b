namespace AlgoPerf.Actors.Configuration;

/// <summary>A parsed HOCON value (before or after resolving substitutions).</summary>
internal abstract class HoconNode
{
    protected HoconNode(HoconOrigin origin)
    {
        Origin = origin;
    }

    public HoconOrigin Origin { get; }
}

/// <summary>An object: fields in the order they were first written.</summary>
internal sealed class HoconObject : HoconNode
{
    public HoconObject(HoconOrigin origin)
        : base(origin)
    {
    }

    public Dictionary<string, HoconNode> Fields { get; } = new(StringComparer.Ordinal);

    public List<string> Order { get; } = [];

    /// <summary>Sets a field: objects merge into objects (later fields win), anything else replaces.</summary>
    public void Set(string key, HoconNode value)
    {
        if (Fields.TryGetValue(key, out var existing))
        {
            if (existing is HoconObject older && value is HoconObject newer)
            {
                Fields[key] = Merge(newer, older);
                return;
            }

            Fields[key] = MayBeAbsent(value) ? new HoconFallback(value, existing) : value;
            return;
        }

        Fields[key] = value;
        Order.Add(key);
    }

    private static bool MayBeAbsent(HoconNode value) => value switch
    {
        HoconSubstitution s => s.Optional,
        HoconConcat c => c.Parts.TrueForAll(p => p is HoconScalar { IsWhitespace: true } || MayBeAbsent(p)),
        HoconFallback f => MayBeAbsent(f.Fallback),
        _ => false,
    };

    /// <summary>A new object with every field of <paramref name="preferred"/> and, where it has none, of <paramref name="fallback"/> (deep).</summary>
    public static HoconObject Merge(HoconObject preferred, HoconObject fallback)
    {
        var merged = new HoconObject(preferred.Origin);
        foreach (var key in fallback.Order)
        {
            merged.Fields[key] = fallback.Fields[key];
            merged.Order.Add(key);
        }

        foreach (var key in preferred.Order)
        {
            merged.Set(key, preferred.Fields[key]);
        }

        return merged;
    }
}

/// <summary>An array.</summary>
internal sealed class HoconArray : HoconNode
{
    public HoconArray(HoconOrigin origin, List<HoconNode> items)
        : base(origin)
    {
        Items = items;
    }

    public List<HoconNode> Items { get; }
}

/// <summary>A string, number, boolean or null, kept as text; quoted strings are never null.</summary>
internal sealed class HoconScalar : HoconNode
{
    public HoconScalar(HoconOrigin origin, string text, bool quoted)
        : base(origin)
    {
        Text = text;
        Quoted = quoted;
    }

    public string Text { get; }

    public bool Quoted { get; }

    public bool IsNull => !Quoted && Text == "null";

    /// <summary>Whitespace between the parts of a concatenation (kept only when the result is a string).</summary>
    public bool IsWhitespace { get; init; }
}

/// <summary><c>${path}</c> or, when optional, <c>${?path}</c> (which falls back to the environment variable of that name).</summary>
internal sealed class HoconSubstitution : HoconNode
{
    public HoconSubstitution(HoconOrigin origin, string path, bool optional)
        : base(origin)
    {
        Path = path;
        Optional = optional;
    }

    public string Path { get; }

    public bool Optional { get; }
}

/// <summary>Values written side by side (<c>foo bar</c>, <c>${a} "/x"</c>, <c>${base} { extra = 1 }</c>).</summary>
internal sealed class HoconConcat : HoconNode
{
    public HoconConcat(HoconOrigin origin, List<HoconNode> parts)
        : base(origin)
    {
        Parts = parts;
    }

    public List<HoconNode> Parts { get; }
}

/// <summary>
/// A field written again with a value that may be absent (<c>x = ${?ENV}</c>): the new value when it resolves,
/// otherwise the earlier one (HOCON's rule that a missing optional substitution leaves the field as it was).
/// </summary>
internal sealed class HoconFallback : HoconNode
{
    public HoconFallback(HoconNode preferred, HoconNode fallback)
        : base(preferred.Origin)
    {
        Preferred = preferred;
        Fallback = fallback;
    }

    public HoconNode Preferred { get; }

    public HoconNode Fallback { get; }
}
