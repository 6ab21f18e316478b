namespace AlgoPerf.Contracts.Scoring;

/// <summary>Names of <see cref="StudySelectionRule"/> as the CLI, the journal (<c>StudyDecided.Selection</c>) and reports spell them.</summary>
public static class StudySelectionRules
{
    /// <summary><c>reference</c> or <c>fastest</c>.</summary>
    public static string ToWire(this StudySelectionRule rule) => rule switch
    {
        StudySelectionRule.Reference => "reference",
        StudySelectionRule.Fastest => "fastest",
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
    };

    /// <summary>Parses <c>reference</c> or <c>fastest</c> (case-insensitive).</summary>
    /// <exception cref="FormatException">Any other text.</exception>
    public static StudySelectionRule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToLowerInvariant() switch
        {
            "reference" => StudySelectionRule.Reference,
            "fastest" => StudySelectionRule.Fastest,
            _ => throw new FormatException($"unknown study selection rule '{text}' (expected reference or fastest)"),
        };
    }
}
