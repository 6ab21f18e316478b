namespace AlgoPerf.Contracts.Rules;

/// <summary>
/// A rules version as data (<c>algoperf-rules.md</c> §11): everything that differs between AlgoPerf v0.5, v0.6 and our
/// own dev suites, so that the tuner, the runner clock and the scorer read one object instead of branching on a name.
/// </summary>
/// <param name="Name">Version name: <c>v0.5</c>, <c>v0.6</c>, or a custom suite's name.</param>
/// <param name="StudiesExternal">Studies per workload under external tuning (v0.6: 3, v0.5: 5).</param>
/// <param name="StudiesSelfTuning">Studies per workload under self-tuning.</param>
/// <param name="TrialsPerStudy">Trials per study under external tuning (5).</param>
/// <param name="SelfTuningBudgetFactor">Self-tuning budget multiplier (v0.6: 1.5, v0.5: 3).</param>
/// <param name="HeldOutEnabled">Whether held-out variant workloads are scored (v0.5 only).</param>
/// <param name="BudgetCheckedEveryStep">v0.5 clock quirk: <c>is_time_remaining</c> recomputed every step.</param>
/// <param name="HasPrepareForEval">Whether the runner calls <c>prepare_for_eval</c> (v0.6).</param>
/// <param name="Workloads">Every workload of the version, bases and variants.</param>
/// <param name="HeldOutWorkloads">The variants scored as held-out workloads (names), in the reference's order.</param>
public sealed record RulesVersion(
    string Name,
    int StudiesExternal,
    int StudiesSelfTuning,
    int TrialsPerStudy,
    double SelfTuningBudgetFactor,
    bool HeldOutEnabled,
    bool BudgetCheckedEveryStep,
    bool HasPrepareForEval,
    IReadOnlyList<WorkloadSpec> Workloads,
    IReadOnlyList<string> HeldOutWorkloads)
{
    /// <summary>Lower end of the performance-profile τ grid.</summary>
    public const double MinTau = 1.0;

    /// <summary>Upper end of the performance-profile τ grid (pinned by reference PR #778).</summary>
    public const double MaxTau = 4.0;

    /// <summary>Number of τ grid points (<c>np.linspace(1, 4, 100)</c>).</summary>
    public const int TauPoints = 100;

    /// <summary>The base workloads, in table order.</summary>
    public IReadOnlyList<WorkloadSpec> BaseWorkloads => Workloads.Where(w => !w.IsVariant).ToList();

    /// <summary>Number of base workloads: the fixed denominator of the performance profile.</summary>
    public int NumBaseWorkloads => Workloads.Count(w => !w.IsVariant);

    /// <summary>Studies per workload for a ruleset.</summary>
    public int Studies(Ruleset ruleset) => ruleset == Ruleset.SelfTuning ? StudiesSelfTuning : StudiesExternal;

    /// <summary>Trials per study for a ruleset (self-tuning always has one).</summary>
    public int Trials(Ruleset ruleset) => ruleset == Ruleset.SelfTuning ? 1 : TrialsPerStudy;

    /// <summary>The budget the runner enforces: <c>max_allowed_runtime_sec</c>, times the factor under self-tuning.</summary>
    public double Budget(WorkloadSpec workload, Ruleset ruleset)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return ruleset == Ruleset.SelfTuning ? workload.MaxRuntimeSec * SelfTuningBudgetFactor : workload.MaxRuntimeSec;
    }

    /// <summary>Number of RNG streams the runner splits each step key into (v0.5: 3, v0.6: 4 with prep_eval_rng).</summary>
    public int StepRngSplits => HasPrepareForEval ? 4 : 3;

    /// <summary>Finds a workload by exact name.</summary>
    /// <exception cref="KeyNotFoundException">No workload of that name in this version.</exception>
    public WorkloadSpec Workload(string name) =>
        Workloads.FirstOrDefault(w => w.Name == name)
        ?? throw new KeyNotFoundException($"rules {Name} have no workload '{name}' (known: {string.Join(", ", Workloads.Select(w => w.Name))})");

    /// <summary>Finds a workload by exact name, or null.</summary>
    public WorkloadSpec? TryWorkload(string name) => Workloads.FirstOrDefault(w => w.Name == name);

    /// <summary>
    /// The reference's variant-to-base rule (<c>workloads.get_base_workload_name</c>): the first base workload whose
    /// name is a substring of the given name; the name itself when it is a base.
    /// </summary>
    public string? BaseNameOf(string workloadName)
    {
        ArgumentNullException.ThrowIfNull(workloadName);
        foreach (var w in Workloads)
        {
            if (!w.IsVariant && workloadName.Contains(w.Name, StringComparison.Ordinal))
            {
                return w.Name;
            }
        }

        return null;
    }

    /// <summary>The τ grid: <c>τ_k = 1 + 3k/99</c>, computed as <c>np.linspace</c> does.</summary>
    public static double[] TauGrid()
    {
        // np.linspace(start, stop, num): step = (stop - start) / (num - 1); y = arange(num) * step + start; y[-1] = stop.
        var grid = new double[TauPoints];
        var step = (MaxTau - MinTau) / (TauPoints - 1);
        for (var k = 0; k < TauPoints; k++)
        {
            grid[k] = (k * step) + MinTau;
        }

        grid[TauPoints - 1] = MaxTau;
        return grid;
    }
}
