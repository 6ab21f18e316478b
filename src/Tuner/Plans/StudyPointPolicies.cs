namespace AlgoPerf.Tuner.Plans;

/// <summary>Names of <see cref="StudyPointPolicy"/> as configuration and the journal spell them.</summary>
public static class StudyPointPolicies
{
    /// <summary><c>reference</c> or <c>disjoint</c>.</summary>
    public static string ToWire(this StudyPointPolicy policy) => policy switch
    {
        StudyPointPolicy.Reference => "reference",
        StudyPointPolicy.Disjoint => "disjoint",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
    };

    /// <summary>Parses <c>reference</c> or <c>disjoint</c> (case-insensitive).</summary>
    /// <exception cref="FormatException">Any other text.</exception>
    public static StudyPointPolicy Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToLowerInvariant() switch
        {
            "reference" => StudyPointPolicy.Reference,
            "disjoint" => StudyPointPolicy.Disjoint,
            _ => throw new FormatException($"unknown study point policy '{text}' (expected reference or disjoint)"),
        };
    }
}
