namespace AlgoPerf.Contracts.Rules;

/// <summary>The two AlgoPerf tuning rulesets.</summary>
public enum Ruleset
{
    /// <summary>External tuning: a search space, N trials per study, the study takes its best trial.</summary>
    ExternalTuning,

    /// <summary>Self-tuning: no hyperparameters, one trial per study, a multiplied budget.</summary>
    SelfTuning,
}

/// <summary>Names of <see cref="Ruleset"/> as the reference and our CLI spell them.</summary>
public static class RulesetNames
{
    /// <summary><c>external_tuning</c> or <c>self_tuning</c>.</summary>
    public static string ToWire(this Ruleset ruleset) => ruleset switch
    {
        Ruleset.ExternalTuning => "external_tuning",
        Ruleset.SelfTuning => "self_tuning",
        _ => throw new ArgumentOutOfRangeException(nameof(ruleset), ruleset, null),
    };

    /// <summary>Parses <c>external_tuning</c> / <c>self_tuning</c> (also with a dash instead of the underscore).</summary>
    /// <exception cref="FormatException">Any other text.</exception>
    public static Ruleset Parse(string text) => text.Replace('-', '_').ToLowerInvariant() switch
    {
        "external_tuning" or "external" => Ruleset.ExternalTuning,
        "self_tuning" or "self" => Ruleset.SelfTuning,
        _ => throw new FormatException($"unknown ruleset '{text}' (expected external_tuning or self_tuning)"),
    };
}
