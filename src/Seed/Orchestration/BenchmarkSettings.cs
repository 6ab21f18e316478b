using System.Globalization;
using AlgoPerf.Actors.Configuration;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Contracts.Scoring;
using AlgoPerf.Trainer.Workloads;
using AlgoPerf.Tuner.Plans;

namespace AlgoPerf.Seed.Orchestration;

/// <summary>
/// What one benchmark run is (HOCON path <c>algoperf.benchmark</c>): which submissions on which workloads, under which
/// rules and ruleset, with which run seed, and where its journal, logs and report go. Bound and validated when
/// <c>algoperf run</c> starts, so a bad value stops it with the file, line and column before anything is stored.
/// </summary>
/// <param name="Name">The run's name (reports and logs).</param>
/// <param name="RunDirectory">Where the journal, trial logs, checkpoints and the report go (absolute).</param>
/// <param name="Rules">The rules version (built-in or one defined under <c>algoperf.rules</c>).</param>
/// <param name="Ruleset">External tuning or self-tuning.</param>
/// <param name="RunSeed">The run seed every study and trial seed derives from.</param>
/// <param name="PointPolicy">How studies share Halton points.</param>
/// <param name="Selection">The study selection rule (tuner and scorer alike).</param>
/// <param name="EarlyStopping">Score-preserving early stopping of trials that cannot change their study's result.</param>
/// <param name="Submissions">Submission references (built-in names or <c>path.dll:Namespace.Type</c>), in order.</param>
/// <param name="SearchSpaces">Per submission, a search-space file that replaces the submission's own.</param>
/// <param name="Workloads">The workloads to run (names of the rules version), in order.</param>
/// <param name="Trainers">Trainer actors (devices) working in parallel.</param>
/// <param name="Threads">Intra-op threads per trainer (0: the cores divided among the trainers).</param>
/// <param name="CheckpointEveryEvals">A checkpoint after every this many evals.</param>
public sealed record BenchmarkSettings(
    string Name,
    string RunDirectory,
    RulesVersion Rules,
    Ruleset Ruleset,
    ulong RunSeed,
    StudyPointPolicy PointPolicy,
    StudySelectionRule Selection,
    bool EarlyStopping,
    IReadOnlyList<string> Submissions,
    IReadOnlyDictionary<string, string> SearchSpaces,
    IReadOnlyList<string> Workloads,
    int Trainers,
    int Threads,
    int CheckpointEveryEvals)
{
    /// <summary>
    /// The workloads whose rules entry carries the dev suite's provisional targets and budget
    /// (<see cref="DevSuiteSpecs.IsProvisional"/>): their scores only exercise the machinery. A custom rules entry that
    /// sets its own targets and budget (as the quickstart's does) is the user's choice and not listed.
    /// </summary>
    public IEnumerable<string> ProvisionalWorkloads => ProvisionalAmong(DevSuiteSpecs.IsProvisional);

    /// <summary>
    /// <see cref="ProvisionalWorkloads"/> with the test for a provisional dev-suite workload given, so that the listing
    /// rule stays tested once every dev-suite workload is measured.
    /// </summary>
    internal IEnumerable<string> ProvisionalAmong(Func<string, bool> isProvisional) =>
        Workloads.Where(w => isProvisional(w) && DevSuiteSpecs.Get(w) is var dev && Rules.Workload(w) is var used
            && (used.ValidationTarget, used.TestTarget, used.MaxRuntimeSec) == (dev.ValidationTarget, dev.TestTarget, dev.MaxRuntimeSec));

    /// <summary>
    /// Binds <c>algoperf.benchmark</c> (and the custom rules under <c>algoperf.rules</c>) of a resolved configuration.
    /// Relative paths are resolved against <paramref name="baseDirectory"/>.
    /// </summary>
    /// <exception cref="HoconException">A missing or invalid setting, with its file, line and column.</exception>
    public static BenchmarkSettings FromConfig(Config config, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        if (!config.HasPath("algoperf.benchmark"))
        {
            throw new HoconException("algoperf.benchmark: missing: a run configuration names its submissions and workloads there (see hocon/quickstart.conf)");
        }

        var c = config.GetConfig("algoperf.benchmark");
        var name = c.GetString("name");
        c.Require(name.Length > 0 && name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-' or '.'), "name", "must be letters, digits, '_', '-' or '.'");
        var runDir = c.GetString("run-dir");
        c.Require(runDir.Length > 0, "run-dir", "must not be empty");

        var custom = config.HasPath("algoperf.rules") ? CustomRules(config.GetConfig("algoperf.rules")) : [];
        var rulesName = c.GetString("rules");
        RulesVersion rules;
        try
        {
            rules = CustomRulesSpec.Resolve(rulesName, custom);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidDataException)
        {
            throw new HoconException(c.OriginOf("rules"), $"algoperf.benchmark.rules: {e.Message}");
        }

        var ruleset = Bind(c, "ruleset", RulesetNames.Parse);
        var seedText = c.GetString("seed");
        c.Require(ulong.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out var seed), "seed", "must be a non-negative integer");
        var policy = Bind(c, "point-policy", StudyPointPolicies.Parse);
        var selection = Bind(c, "selection", StudySelectionRules.Parse);
        var earlyStopping = c.GetBoolean("early-stopping");

        var submissions = c.GetStringList("submissions");
        c.Require(submissions.Count > 0, "submissions", "needs at least one submission");
        c.Require(submissions.Distinct(StringComparer.Ordinal).Count() == submissions.Count, "submissions", "lists a submission twice");
        var spaces = new Dictionary<string, string>(StringComparer.Ordinal);
        if (c.HasPath("search-spaces"))
        {
            var s = c.GetConfig("search-spaces");
            foreach (var key in s.Keys)
            {
                s.Require(submissions.Contains(key, StringComparer.Ordinal), key, "is not one of the benchmark's submissions");
                spaces[key] = Path.GetFullPath(s.GetString(key), baseDirectory);
            }
        }

        var workloads = c.GetStringList("workloads");
        c.Require(workloads.Count > 0, "workloads", "needs at least one workload");
        foreach (var w in workloads)
        {
            c.Require(rules.TryWorkload(w) is not null, "workloads", $"'{w}' is not a workload of rules {rules.Name} (known: {string.Join(", ", rules.Workloads.Select(x => x.Name))})");
            c.Require(DevSuiteSpecs.All.ContainsKey(w), "workloads", $"'{w}' has no implementation here (dev suite: {string.Join(", ", DevSuiteSpecs.All.Keys)})");
        }

        var trainers = c.GetInt("trainers");
        c.Require(trainers >= 1, "trainers", "must be at least 1");
        var threads = c.GetInt("threads");
        c.Require(threads >= 0, "threads", "cannot be negative (0: the cores divided among the trainers)");
        var checkpointEvery = c.GetInt("checkpoint-every-evals");
        c.Require(checkpointEvery >= 1, "checkpoint-every-evals", "must be at least 1");

        return new BenchmarkSettings(
            name,
            Path.GetFullPath(runDir, baseDirectory),
            rules,
            ruleset,
            seed,
            policy,
            selection,
            earlyStopping,
            submissions,
            spaces,
            workloads,
            trainers,
            threads,
            checkpointEvery);
    }

    /// <summary>Intra-op threads each trainer uses.</summary>
    public int ThreadsPerTrainer => Threads > 0 ? Threads : Math.Max(1, Environment.ProcessorCount / Trainers);

    /// <summary>
    /// The custom rules versions under <c>algoperf.rules</c>: per version its clock, counts and workloads; a workload's
    /// unset fields come from the dev suite's spec of the same name (<see cref="DevSuiteSpecs"/>).
    /// </summary>
    private static List<CustomRulesSpec> CustomRules(Config rules)
    {
        var specs = new List<CustomRulesSpec>();
        foreach (var name in rules.Keys)
        {
            var r = rules.GetConfig(name);
            var workloads = new List<WorkloadSpec>();
            var w = r.GetConfig("workloads");
            foreach (var workload in w.Keys)
            {
                var overrides = w.GetConfig(workload);
                w.Require(DevSuiteSpecs.All.ContainsKey(workload), workload, $"is not a dev-suite workload (known: {string.Join(", ", DevSuiteSpecs.All.Keys)})");
                var spec = DevSuiteSpecs.Get(workload);
                workloads.Add(spec with
                {
                    ValidationTarget = overrides.HasPath("validation-target") ? overrides.GetDouble("validation-target") : spec.ValidationTarget,
                    TestTarget = overrides.HasPath("test-target") ? overrides.GetDouble("test-target") : spec.TestTarget,
                    MaxRuntimeSec = overrides.HasPath("max-runtime") ? overrides.GetDuration("max-runtime").TotalSeconds : spec.MaxRuntimeSec,
                    EvalPeriodSec = overrides.HasPath("eval-period") ? overrides.GetDuration("eval-period").TotalSeconds : spec.EvalPeriodSec,
                    StepHint = overrides.HasPath("step-hint") ? overrides.GetInt("step-hint") : spec.StepHint,
                });
            }

            var custom = new CustomRulesSpec(
                name,
                r.GetString("clock-from"),
                r.GetInt("studies-external"),
                r.GetInt("studies-self-tuning"),
                r.GetInt("trials-per-study"),
                r.GetDouble("self-tuning-budget-factor"),
                workloads);
            try
            {
                custom.Build();
            }
            catch (InvalidDataException e)
            {
                throw new HoconException(rules.OriginOf(name), $"algoperf.rules.{name}: {e.Message}");
            }

            specs.Add(custom);
        }

        return specs;
    }

    private static T Bind<T>(Config c, string path, Func<string, T> parse)
    {
        var text = c.GetString(path);
        try
        {
            return parse(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or KeyNotFoundException)
        {
            throw new HoconException(c.OriginOf(path), $"algoperf.benchmark.{path}: {e.Message}");
        }
    }
}
