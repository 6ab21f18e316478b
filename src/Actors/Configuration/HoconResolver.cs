using System.Text;

namespace AlgoPerf.Actors.Configuration;

/// <summary>
/// Replaces substitutions by the values they point to (looked up in the whole merged tree, then in the
/// environment), merges concatenated objects, joins concatenated arrays and strings. Optional substitutions that
/// find nothing disappear; required ones fail with their file:line:column; cycles are reported.
/// </summary>
internal sealed class HoconResolver
{
    private readonly HoconObject _root;
    private readonly Func<string, string?> _environment;
    private readonly Dictionary<HoconNode, HoconNode?> _done = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<HoconNode> _inProgress = new(ReferenceEqualityComparer.Instance);

    public HoconResolver(HoconObject root, Func<string, string?> environment)
    {
        _root = root;
        _environment = environment;
    }

    public HoconObject Resolve() => (HoconObject)Resolve(_root)!;

    private HoconNode? Resolve(HoconNode node)
    {
        if (node is HoconScalar)
        {
            return node;
        }

        if (_done.TryGetValue(node, out var done))
        {
            return done;
        }

        if (!_inProgress.Add(node))
        {
            throw new HoconException(node.Origin, "substitution cycle (a value refers to itself)");
        }

        var result = node switch
        {
            HoconObject o => ResolveObject(o),
            HoconArray a => new HoconArray(a.Origin, [.. a.Items.Select(Resolve).OfType<HoconNode>()]),
            HoconSubstitution s => Lookup(s),
            HoconConcat c => ResolveConcat(c),
            HoconFallback f => Resolve(f.Preferred) ?? Resolve(f.Fallback),
            _ => node,
        };
        _inProgress.Remove(node);
        _done[node] = result;
        return result;
    }

    private HoconObject ResolveObject(HoconObject obj)
    {
        var resolved = new HoconObject(obj.Origin);
        foreach (var key in obj.Order)
        {
            if (Resolve(obj.Fields[key]) is { } value)
            {
                resolved.Set(key, value);
            }
        }

        return resolved;
    }

    private HoconNode? Lookup(HoconSubstitution substitution)
    {
        HoconNode? current = _root;
        foreach (var segment in substitution.Path.Split('.'))
        {
            if (current is not null and not HoconObject)
            {
                current = Resolve(current);
            }

            current = current is HoconObject o && o.Fields.TryGetValue(segment, out var child) ? child : null;
        }

        if (current is not null && Resolve(current) is { } found && found is not HoconScalar { IsNull: true })
        {
            return found;
        }

        if (_environment(substitution.Path) is { } env)
        {
            return new HoconScalar(substitution.Origin, env, quoted: true);
        }

        return substitution.Optional
            ? null
            : throw new HoconException(substitution.Origin, $"could not resolve substitution ${{{substitution.Path}}} (no such setting and no environment variable of that name)");
    }

    private HoconNode? ResolveConcat(HoconConcat concat)
    {
        var parts = concat.Parts.Select(Resolve).OfType<HoconNode>().ToList();
        var solid = parts.Where(p => p is not HoconScalar { IsWhitespace: true }).ToList();
        if (solid.Count == 0)
        {
            return null;
        }

        if (solid.TrueForAll(p => p is HoconObject))
        {
            var merged = (HoconObject)solid[0];
            foreach (var next in solid.Skip(1))
            {
                merged = HoconObject.Merge((HoconObject)next, merged);
            }

            return merged;
        }

        if (solid.TrueForAll(p => p is HoconArray))
        {
            return new HoconArray(concat.Origin, [.. solid.SelectMany(a => ((HoconArray)a).Items)]);
        }

        if (solid.Find(p => p is not HoconScalar) is { } bad)
        {
            throw new HoconException(bad.Origin, $"cannot concatenate {(bad is HoconObject ? "an object" : "an array")} with strings");
        }

        var text = new StringBuilder();
        foreach (var part in parts)
        {
            text.Append(((HoconScalar)part).Text);
        }

        return new HoconScalar(concat.Origin, text.ToString().Trim(), quoted: true);
    }
}
