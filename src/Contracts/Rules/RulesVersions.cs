namespace AlgoPerf.Contracts.Rules;

/// <summary>
/// The built-in AlgoPerf rules versions, transcribed from the reference code (<c>algoperf-rules.md</c> §4, §6, §7).
/// Targets are the same in both versions; budgets and step hints changed in v0.6 (PR #838).
/// </summary>
public static class RulesVersions
{
    private const MetricDirection Min = MetricDirection.Minimize;
    private const MetricDirection Max = MetricDirection.Maximize;

    // Declared before the versions: static initializers run in text order, and the versions read this table.
    // Variant targets (HEAD values; wmt variants use the WMTFIX targets that v0.5 was scored with). Variants inherit
    // their base's budget, step hint and eval period, so they are derived from the bases given.
    private static readonly (string Name, string Base, string Metric, double Val, double Test)[] s_variants =
    [
        ("criteo1tb_layernorm", "criteo1tb", "loss", 0.123757, 0.126152),
        ("criteo1tb_resnet", "criteo1tb", "loss", 0.12415, 0.12648),
        ("criteo1tb_embed_init", "criteo1tb", "loss", 0.129657, 0.131967),
        ("fastmri_model_size", "fastmri", "ssim", 0.723559, 0.740726),
        ("fastmri_tanh", "fastmri", "ssim", 0.717840, 0.734505),
        ("fastmri_layernorm", "fastmri", "ssim", 0.723284, 0.739996),
        ("imagenet_resnet_silu", "imagenet_resnet", "accuracy", 0.75445, 0.6323),
        ("imagenet_resnet_gelu", "imagenet_resnet", "accuracy", 0.76765, 0.6519),
        ("imagenet_resnet_large_bn_init", "imagenet_resnet", "accuracy", 0.76526, 0.6423),
        ("imagenet_vit_glu", "imagenet_vit", "accuracy", 0.75738, 0.6359),
        ("imagenet_vit_post_ln", "imagenet_vit", "accuracy", 0.75312, 0.6286),
        ("imagenet_vit_map", "imagenet_vit", "accuracy", 0.77113, 0.6523),
        ("librispeech_conformer_attention_temperature", "librispeech_conformer", "wer", 0.109977, 0.068065),
        ("librispeech_conformer_layernorm", "librispeech_conformer", "wer", 0.09731, 0.05996),
        ("librispeech_conformer_gelu", "librispeech_conformer", "wer", 0.094114, 0.056629),
        ("librispeech_deepspeech_tanh", "librispeech_deepspeech", "wer", 0.150883, 0.098613),
        ("librispeech_deepspeech_no_resnet", "librispeech_deepspeech", "wer", 0.131564, 0.079297),
        ("librispeech_deepspeech_norm_and_spec_aug", "librispeech_deepspeech", "wer", 0.14342, 0.090976),
        ("ogbg_gelu", "ogbg", "mean_average_precision", 0.27771, 0.262926),
        ("ogbg_silu", "ogbg", "mean_average_precision", 0.282178, 0.272144),
        ("ogbg_model_size", "ogbg", "mean_average_precision", 0.269446, 0.253051),
        ("wmt_post_ln", "wmt", "bleu", 30.0779, 29.8982),
        ("wmt_attention_temp", "wmt", "bleu", 29.3379, 29.4143),
        ("wmt_glu_tanh", "wmt", "bleu", 29.5779, 29.0515),
    ];

    /// <summary>AlgoPerf v0.6 (current HEAD): 3 studies, 1.5x self-tuning budget, no held-out workloads.</summary>
    public static RulesVersion V06 { get; } = new(
        Name: "v0.6",
        StudiesExternal: 3,
        StudiesSelfTuning: 3,
        TrialsPerStudy: 5,
        SelfTuningBudgetFactor: 1.5,
        HeldOutEnabled: false,
        BudgetCheckedEveryStep: false,
        HasPrepareForEval: true,
        Workloads: WithVariants(
        [
            new("criteo1tb", null, "loss", Min, 0.123735, 0.126041, 7_703, 10_666, 120),
            new("fastmri", null, "ssim", Max, 0.723653, 0.740633, 4_430, 18_094, 80),
            new("imagenet_resnet", null, "accuracy", Max, 0.77431, 0.6560, 66_159, 195_999, 510),
            new("imagenet_vit", null, "accuracy", Max, 0.77309, 0.6519, 69_768, 167_999, 420),
            new("librispeech_conformer", null, "wer", Min, 0.085884, 0.052981, 58_015, 76_000, 1_440),
            new("librispeech_deepspeech", null, "wer", Min, 0.119936, 0.074143, 44_405, 38_400, 1_440),
            new("ogbg", null, "mean_average_precision", Max, 0.28098, 0.268729, 12_011, 52_000, 240),
            new("wmt", null, "bleu", Max, 30.8491, 30.7219, 43_336, 120_000, 840),
        ]),
        HeldOutWorkloads: []);

    /// <summary>AlgoPerf v0.5: 5 studies, 3x self-tuning budget, six held-out workloads, the v0.5 clock quirks.</summary>
    public static RulesVersion V05 { get; } = new(
        Name: "v0.5",
        StudiesExternal: 5,
        StudiesSelfTuning: 5,
        TrialsPerStudy: 5,
        SelfTuningBudgetFactor: 3.0,
        HeldOutEnabled: true,
        BudgetCheckedEveryStep: true,
        HasPrepareForEval: false,
        Workloads: WithVariants(
        [
            new("criteo1tb", null, "loss", Min, 0.123735, 0.126041, 7_703, 10_666, 120),
            new("fastmri", null, "ssim", Max, 0.723653, 0.740633, 8_859, 36_189, 80),
            new("imagenet_resnet", null, "accuracy", Max, 0.77431, 0.6560, 63_008, 186_666, 510),
            new("imagenet_vit", null, "accuracy", Max, 0.77309, 0.6519, 77_520, 186_666, 420),
            new("librispeech_conformer", null, "wer", Min, 0.085884, 0.052981, 61_068, 80_000, 1_440),
            new("librispeech_deepspeech", null, "wer", Min, 0.119936, 0.074143, 55_506, 48_000, 1_440),
            new("ogbg", null, "mean_average_precision", Max, 0.28098, 0.268729, 18_477, 80_000, 240),
            new("wmt", null, "bleu", Max, 30.8491, 30.7219, 48_151, 133_333, 840),
        ]),
        // scoring/algoperf_v05/held_out_workloads_algoperf_v05.json, in the reference's order.
        HeldOutWorkloads:
        [
            "librispeech_conformer_layernorm", "imagenet_resnet_large_bn_init", "ogbg_model_size",
            "wmt_glu_tanh", "fastmri_tanh", "criteo1tb_embed_init",
        ]);

    /// <summary>All built-in versions by name.</summary>
    public static IReadOnlyList<RulesVersion> All { get; } = [V05, V06];

    /// <summary>Looks up <c>v0.5</c> / <c>v0.6</c> (also <c>0.5</c>, <c>v05</c>).</summary>
    /// <exception cref="KeyNotFoundException">Unknown version.</exception>
    public static RulesVersion Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = name.Trim().TrimStart('v', 'V').Replace(".", string.Empty, StringComparison.Ordinal);
        return key switch
        {
            "05" => V05,
            "06" => V06,
            _ => throw new KeyNotFoundException($"unknown rules version '{name}' (known: v0.5, v0.6)"),
        };
    }

    private static WorkloadSpec[] WithVariants(WorkloadSpec[] bases)
    {
        var all = new List<WorkloadSpec>(bases);
        foreach (var v in s_variants)
        {
            var b = bases.Single(x => x.Name == v.Base);
            all.Add(new WorkloadSpec(v.Name, v.Base, v.Metric, MetricDirections.Of(v.Metric), v.Val, v.Test, b.MaxRuntimeSec, b.StepHint, b.EvalPeriodSec));
        }

        return [.. all];
    }
}
