namespace AlgoPerf.Contracts.Rules;

/// <summary>
/// A rules version for our own workload suites (dev and quickstart suites), as the run's configuration describes it:
/// its own workloads, targets, budgets and study/trial counts, with the runner clock of a built-in version. Held-out
/// variants are never scored under a custom version. <see cref="Build"/> turns it into the same
/// <see cref="RulesVersion"/> data the tuner, runner and scorer read for v0.5 and v0.6.
/// </summary>
/// <param name="Name">The version's name (must not shadow a built-in one), e.g. <c>dev-cpu</c>.</param>
/// <param name="ClockFrom">The built-in version whose runner clock it keeps (<c>v0.6</c> or <c>v0.5</c>).</param>
/// <param name="StudiesExternal">Studies per workload under external tuning (at least 1).</param>
/// <param name="StudiesSelfTuning">Studies per workload under self-tuning (at least 1).</param>
/// <param name="TrialsPerStudy">Trials per study under external tuning (at least 1).</param>
/// <param name="SelfTuningBudgetFactor">Self-tuning budget multiplier (positive).</param>
/// <param name="Workloads">The suite's workloads (at least one base workload, distinct names).</param>
public sealed record CustomRulesSpec(
    string Name,
    string ClockFrom,
    int StudiesExternal,
    int StudiesSelfTuning,
    int TrialsPerStudy,
    double SelfTuningBudgetFactor,
    IReadOnlyList<WorkloadSpec> Workloads)
{
    /// <summary>The rules version this spec describes.</summary>
    /// <exception cref="InvalidDataException">A count or factor out of range, no workloads, duplicate names, a name of a built-in version, or an unknown clock.</exception>
    public RulesVersion Build()
    {
        Check(!string.IsNullOrWhiteSpace(Name), "name", "must not be empty");
        Check(!RulesVersions.All.Any(v => v.Name == Name || v.Name == "v" + Name), "name", $"'{Name}' is a built-in rules version");
        Check(StudiesExternal >= 1, "studies_external", $"must be at least 1 (got {StudiesExternal})");
        Check(StudiesSelfTuning >= 1, "studies_self_tuning", $"must be at least 1 (got {StudiesSelfTuning})");
        Check(TrialsPerStudy >= 1, "trials_per_study", $"must be at least 1 (got {TrialsPerStudy})");
        Check(double.IsFinite(SelfTuningBudgetFactor) && SelfTuningBudgetFactor > 0, "self_tuning_budget_factor", $"must be positive (got {SelfTuningBudgetFactor})");
        Check(Workloads is { Count: > 0 } && Workloads.Any(w => !w.IsVariant), "workloads", "needs at least one base workload");
        var duplicate = Workloads.GroupBy(w => w.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        Check(duplicate is null, "workloads", $"workload '{duplicate?.Key}' is listed twice");
        foreach (var w in Workloads)
        {
            Check(w.MaxRuntimeSec > 0 && double.IsFinite(w.MaxRuntimeSec), $"workloads.{w.Name}.max_runtime_sec", $"must be positive (got {w.MaxRuntimeSec})");
            Check(w.EvalPeriodSec > 0 && double.IsFinite(w.EvalPeriodSec), $"workloads.{w.Name}.eval_period_sec", $"must be positive (got {w.EvalPeriodSec})");
            Check(!double.IsNaN(w.ValidationTarget), $"workloads.{w.Name}.validation_target", "must be a number");
        }

        RulesVersion clock;
        try
        {
            clock = RulesVersions.Get(ClockFrom ?? string.Empty);
        }
        catch (KeyNotFoundException e)
        {
            throw new InvalidDataException($"rules '{Name}': clock_from: {e.Message}", e);
        }

        return new RulesVersion(
            Name,
            StudiesExternal,
            StudiesSelfTuning,
            TrialsPerStudy,
            SelfTuningBudgetFactor,
            HeldOutEnabled: false,
            clock.BudgetCheckedEveryStep,
            clock.HasPrepareForEval,
            Workloads.ToList(),
            HeldOutWorkloads: []);
    }

    /// <summary>
    /// The rules version a configuration names: a built-in one (<see cref="RulesVersions.Get"/>) or one of the custom
    /// versions the configuration defines.
    /// </summary>
    /// <param name="name">The name from the configuration.</param>
    /// <param name="custom">The custom versions the configuration defines.</param>
    /// <exception cref="KeyNotFoundException">No built-in or custom version of that name.</exception>
    /// <exception cref="InvalidDataException">The named custom version is invalid.</exception>
    public static RulesVersion Resolve(string name, IEnumerable<CustomRulesSpec> custom)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(custom);
        var specs = custom.ToList();
        var match = specs.FirstOrDefault(s => s.Name == name);
        if (match is not null)
        {
            return match.Build();
        }

        try
        {
            return RulesVersions.Get(name);
        }
        catch (KeyNotFoundException)
        {
            var known = RulesVersions.All.Select(v => v.Name).Concat(specs.Select(s => s.Name));
            throw new KeyNotFoundException($"unknown rules version '{name}' (known: {string.Join(", ", known)})");
        }
    }

    private void Check(bool ok, string field, string message)
    {
        if (!ok)
        {
            throw new InvalidDataException($"rules '{Name}': {field}: {message}");
        }
    }
}
