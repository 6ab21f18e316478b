using Hyperion;

namespace AlgoPerf.Contracts.Configuration;

/// <summary>
/// Hyperion's deserialization filter for the messages between our actor systems: a type read from the wire is
/// accepted only when it is one of the product's own types (namespace <c>AlgoPerf.</c>), one of Akka's (its surrogates
/// for actor refs and system messages), or a primitive or collection of the base library that our messages hold,
/// with every generic argument accepted by the same rule. Anything else (a gadget type a peer of another program
/// could send) is refused before it is instantiated (and on the sending side, so a message holding one fails
/// where it is sent). Hyperion's own unsafe-type list stays on as well.
/// </summary>
public sealed class ProductTypeFilter : ITypeFilter
{
    /// <summary>The instance.</summary>
    public static readonly ProductTypeFilter Instance = new();

    private static readonly string[] s_ownPrefixes = ["AlgoPerf.", "Akka."];

    private static readonly HashSet<string> s_library = new(StringComparer.Ordinal)
    {
        "System.String", "System.Boolean", "System.Int32", "System.Int64", "System.UInt32", "System.UInt64",
        "System.Double", "System.Single", "System.Decimal", "System.Guid", "System.TimeSpan", "System.DateTime",
        "System.DateTimeOffset", "System.Byte", "System.Byte[]", "System.Object", "System.Nullable`1",
        "System.Collections.Generic.List`1", "System.Collections.Generic.Dictionary`2", "System.Collections.Generic.OrderedDictionary`2",
        "System.Collections.Generic.KeyValuePair`2", "System.Collections.Generic.HashSet`1", "System.Collections.DictionaryEntry",
        "System.Collections.Generic.GenericEqualityComparer`1", "System.Collections.Generic.ObjectEqualityComparer`1",
        "System.Collections.Generic.NonRandomizedStringEqualityComparer+OrdinalComparer",
        "System.Collections.Generic.NonRandomizedStringEqualityComparer+OrdinalIgnoreCaseComparer",
        "System.OrdinalComparer", "System.Collections.Immutable.ImmutableList`1",
        "System.Collections.Immutable.ImmutableArray`1", "System.Collections.Immutable.ImmutableDictionary`2",
        "System.ValueTuple`2", "System.ValueTuple`3", "System.Tuple`2", "System.Tuple`3",
    };

    private ProductTypeFilter()
    {
    }

    /// <inheritdoc />
    public bool IsAllowed(string typeName)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        return Allowed(typeName.AsSpan().Trim());
    }

    // A name is "Outer`n[[Arg1, Asm],[Arg2, Asm]], Asm" or "Type[], Asm" or "Type, Asm".
    private static bool Allowed(ReadOnlySpan<char> name)
    {
        var open = name.IndexOf("[[", StringComparison.Ordinal);
        var head = open >= 0 ? name[..open] : name;
        var comma = head.IndexOf(',');
        var type = (comma >= 0 ? head[..comma] : head).Trim().ToString();
        var afterArguments = open >= 0 ? name[(name.LastIndexOf(']') + 1)..] : comma >= 0 ? head[comma..] : [];
        var assembly = afterArguments.TrimStart(", ");
        if (type.EndsWith("[]", StringComparison.Ordinal) && type != "System.Byte[]")
        {
            type = type[..^2];
        }

        // The compiler's read-only wrappers of collection expressions (<>z__ReadOnlyArray`1 ...) live in the assembly
        // that wrote the expression: ours when that assembly is (AlgoPerf.*, or the executable, algoperf).
        var compilerCollection = type.StartsWith("<>z__ReadOnly", StringComparison.Ordinal) && assembly.StartsWith("AlgoPerf", StringComparison.OrdinalIgnoreCase);
        if (!compilerCollection && !s_ownPrefixes.Any(p => type.StartsWith(p, StringComparison.Ordinal)) && !s_library.Contains(type))
        {
            return false;
        }

        if (open < 0)
        {
            return true;
        }

        // The generic arguments: "[A, AsmA],[B, AsmB]" inside the outer brackets, split at depth 1.
        var depth = 0;
        var start = -1;
        for (var i = open + 1; i < name.Length; i++)
        {
            switch (name[i])
            {
                case '[':
                    if (++depth == 1)
                    {
                        start = i + 1;
                    }

                    break;
                case ']':
                    if (depth-- == 1 && !Allowed(name[start..i]))
                    {
                        return false;
                    }

                    if (depth < 0)
                    {
                        return true;
                    }

                    break;
            }
        }

        return true;
    }
}
