using System.Globalization;
using Akka.Configuration;
using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Contracts.Scoring;
using AlgoPerf.Trainer.Workloads;
using AlgoPerf.Tuner.Plans;

namespace AlgoPerf.Seed.Orchestration;

/// <summary>
/// What one benchmark run is (HOCON path <c>algoperf.benchmark</c>): which submissions on which workloads, under which
/// rules and ruleset, with which run seed, and where its journal, logs and report go. Bound and validated when
/// <c>algoperf run</c> starts, so a bad value stops it with the file and the key before anything is stored.
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
/// <param name="Device">The trainers' devices: <c>cpu</c>, or <c>cuda</c> (one trainer per CUDA device when LibTorch
/// sees any, else the CPU; <see cref="TrainerBinding.Devices"/>).</param>
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
    int CheckpointEveryEvals,
    string Device = "cpu")
{
    /// <summary>Devices per trial and the data-parallel gangs' rules (<c>devices-per-trial</c>, <c>gang-*</c>).</summary>
    public GangSettings Gangs { get; init; } = GangSettings.OneDevice;

    /// <summary>The custom rules version the run uses, as configured (null for a built-in version): kept in <c>benchmark.json</c> so <c>algoperf resume</c> rebuilds it.</summary>
    public CustomRulesSpec? CustomRules { get; init; }

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
    /// These settings with what the command line gives (<c>--run-dir</c>, <c>--trainers</c>, <c>--threads</c>; null
    /// keeps the configuration's), checked.
    /// </summary>
    /// <exception cref="Cli.UsageException">Fewer than one trainer, or negative threads.</exception>
    internal BenchmarkSettings WithCommandLine(string? runDirectory, int? trainers, int? threads)
    {
        var settings = this with
        {
            RunDirectory = runDirectory is null ? RunDirectory : Path.GetFullPath(runDirectory),
            Trainers = trainers ?? Trainers,
            Threads = threads ?? Threads,
        };
        return settings.Trainers >= 1 && settings.Threads >= 0
            ? settings
            : throw new Cli.UsageException("--trainers must be at least 1 and --threads at least 0");
    }

    /// <summary>
    /// Binds <c>algoperf.benchmark</c> (and the custom rules under <c>algoperf.rules</c>) of a configuration loaded
    /// from <paramref name="source"/>. Relative paths are resolved against <paramref name="baseDirectory"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">A missing or invalid setting, naming the file and the key.</exception>
    public static BenchmarkSettings FromConfig(Config config, string source, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        var root = new ConfigReader(config, source);
        root.Require(root.Has("algoperf.benchmark"), "algoperf.benchmark", "missing: a run configuration names its submissions and workloads there (see hocon/quickstart.conf)");
        var c = new ConfigReader(config, source, "algoperf.benchmark");
        var name = c.String("name");
        c.Require(name.Length > 0 && name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-' or '.'), "name", "must be letters, digits, '_', '-' or '.'");
        // Empty: runs/<name> (Akka's HOCON resolves substitutions per file, so the default cannot be written as one).
        var runDir = c.Has("run-dir") ? c.String("run-dir") : string.Empty;
        if (runDir.Length == 0)
        {
            runDir = Path.Combine("runs", name);
        }

        var custom = root.Has("algoperf.rules") ? ReadCustomRules(new ConfigReader(config, source, "algoperf.rules")) : [];
        var rulesName = c.String("rules");
        RulesVersion rules;
        try
        {
            rules = CustomRulesSpec.Resolve(rulesName, custom);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidDataException)
        {
            throw c.Error("rules", e.Message, e);
        }

        var ruleset = Bind(c, "ruleset", RulesetNames.Parse);
        var seedText = c.String("seed");
        c.Require(ulong.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out var seed), "seed", "must be a non-negative integer");
        var policy = Bind(c, "point-policy", StudyPointPolicies.Parse);
        var selection = Bind(c, "selection", StudySelectionRules.Parse);
        var earlyStopping = c.Bool("early-stopping");

        var submissions = c.StringList("submissions");
        c.Require(submissions.Count > 0, "submissions", "needs at least one submission");
        c.Require(submissions.Distinct(StringComparer.Ordinal).Count() == submissions.Count, "submissions", "lists a submission twice");
        var spaces = new Dictionary<string, string>(StringComparer.Ordinal);
        var s = c.Sub("search-spaces");
        foreach (var key in s.Keys)
        {
            s.Require(submissions.Contains(key, StringComparer.Ordinal), key, "is not one of the benchmark's submissions");
            spaces[key] = Path.GetFullPath(s.String(key), baseDirectory);
        }

        var workloads = c.StringList("workloads");
        c.Require(workloads.Count > 0, "workloads", "needs at least one workload");
        foreach (var w in workloads)
        {
            c.Require(rules.TryWorkload(w) is not null, "workloads", $"'{w}' is not a workload of rules {rules.Name} (known: {string.Join(", ", rules.Workloads.Select(x => x.Name))})");
            c.Require(DevSuiteSpecs.All.ContainsKey(w), "workloads", $"'{w}' has no implementation here (dev suite: {string.Join(", ", DevSuiteSpecs.All.Keys)})");
        }

        var trainers = c.Int("trainers");
        c.Require(trainers >= 1, "trainers", "must be at least 1");
        var threads = c.Int("threads");
        c.Require(threads >= 0, "threads", "cannot be negative (0: the cores divided among the trainers)");
        var checkpointEvery = c.Int("checkpoint-every-evals");
        c.Require(checkpointEvery >= 1, "checkpoint-every-evals", "must be at least 1");
        var device = c.String("device");
        c.Require(device is "cpu" or "cuda", "device", $"must be cpu or cuda (got '{device}')");
        var gangs = ReadGangs(c, trainers, device);

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
            checkpointEvery,
            device)
        {
            CustomRules = custom.FirstOrDefault(r => r.Name == rules.Name),
            Gangs = gangs,
        };
    }

    /// <summary>The gangs' keys: devices per trial (at most the CPU trainers), timeout, restarts, hosts and reducer.</summary>
    private static GangSettings ReadGangs(ConfigReader c, int trainers, string device)
    {
        var k = c.Has("devices-per-trial") ? c.Int("devices-per-trial") : 1;
        c.Require(k >= 1, "devices-per-trial", "must be at least 1");
        c.Require(device != "cpu" || k <= trainers, "devices-per-trial", $"is {k}, and the run has {trainers} trainers: a trial's gang needs that many (raise trainers)");
        var timeout = c.Has("gang-timeout") ? c.Duration("gang-timeout") : GangSettings.OneDevice.Timeout;
        c.Require(timeout > TimeSpan.Zero, "gang-timeout", "must be positive");
        var restarts = c.Has("gang-restarts") ? c.Int("gang-restarts") : GangSettings.OneDevice.MaxRestarts;
        c.Require(restarts >= 0, "gang-restarts", "cannot be negative");
        var acrossHosts = c.Has("gangs-across-hosts") && c.Bool("gangs-across-hosts");
        var reducer = c.Has("gang-reducer") ? c.String("gang-reducer") : "auto";
        c.Require(reducer is "auto" or Trainer.Actors.GangReducers.InProcess or Trainer.Actors.GangReducers.Gloo or Trainer.Actors.GangReducers.Nccl, "gang-reducer", $"must be auto, {Trainer.Actors.GangReducers.InProcess}, {Trainer.Actors.GangReducers.Gloo} or {Trainer.Actors.GangReducers.Nccl} (got '{reducer}')");
        return new GangSettings(k, timeout, restarts, acrossHosts, reducer == "auto" ? null : reducer);
    }

    /// <summary>Intra-op threads each trainer uses.</summary>
    public int ThreadsPerTrainer => Threads > 0 ? Threads : Math.Max(1, Environment.ProcessorCount / Trainers);

    /// <summary>
    /// The custom rules versions under <c>algoperf.rules</c>: per version its clock, counts and workloads; a workload's
    /// unset fields come from the dev suite's spec of the same name (<see cref="DevSuiteSpecs"/>).
    /// </summary>
    private static List<CustomRulesSpec> ReadCustomRules(ConfigReader rules)
    {
        var specs = new List<CustomRulesSpec>();
        foreach (var name in rules.Keys)
        {
            var r = rules.Sub(name);
            var workloads = new List<WorkloadSpec>();
            var w = r.Sub("workloads");
            foreach (var workload in w.Keys)
            {
                var overrides = w.Sub(workload);
                w.Require(DevSuiteSpecs.All.ContainsKey(workload), workload, $"is not a dev-suite workload (known: {string.Join(", ", DevSuiteSpecs.All.Keys)})");
                var spec = DevSuiteSpecs.Get(workload);
                workloads.Add(spec with
                {
                    ValidationTarget = overrides.Has("validation-target") ? overrides.Double("validation-target") : spec.ValidationTarget,
                    TestTarget = overrides.Has("test-target") ? overrides.Double("test-target") : spec.TestTarget,
                    MaxRuntimeSec = overrides.Has("max-runtime") ? overrides.Duration("max-runtime").TotalSeconds : spec.MaxRuntimeSec,
                    EvalPeriodSec = overrides.Has("eval-period") ? overrides.Duration("eval-period").TotalSeconds : spec.EvalPeriodSec,
                    StepHint = overrides.Has("step-hint") ? overrides.Int("step-hint") : spec.StepHint,
                });
            }

            var custom = new CustomRulesSpec(
                name,
                r.String("clock-from"),
                r.Int("studies-external"),
                r.Int("studies-self-tuning"),
                r.Int("trials-per-study"),
                r.Double("self-tuning-budget-factor"),
                workloads);
            try
            {
                custom.Build();
            }
            catch (InvalidDataException e)
            {
                throw rules.Error(name, e.Message, e);
            }

            specs.Add(custom);
        }

        return specs;
    }

    private static T Bind<T>(ConfigReader c, string path, Func<string, T> parse)
    {
        var text = c.String(path);
        try
        {
            return parse(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or KeyNotFoundException)
        {
            throw c.Error(path, e.Message, e);
        }
    }
}
