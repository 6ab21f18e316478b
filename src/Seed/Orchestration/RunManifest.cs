using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

using AlgoPerf.Trainer.Logging;

namespace AlgoPerf.Seed.Orchestration;

/// <summary>
/// <c>benchmark.json</c> in a run directory: what the run is (everything that fixes its plan and its scores). Written
/// when a run directory is first used; a later run in the same directory must describe the same benchmark, so that a
/// restart resumes the run instead of mixing two benchmarks in one journal.
/// </summary>
public static class RunManifest
{
    /// <summary>The file name inside the run directory.</summary>
    public const string FileName = "benchmark.json";

    /// <summary>The manifest of <paramref name="settings"/> as JSON (field order fixed).</summary>
    public static JsonObject Describe(BenchmarkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var workloads = new JsonObject();
        foreach (var name in settings.Workloads)
        {
            var w = settings.Rules.Workload(name);
            workloads[name] = new JsonObject
            {
                ["target_metric"] = w.TargetMetric,
                ["validation_target"] = w.ValidationTarget,
                ["test_target"] = w.TestTarget,
                ["max_runtime_sec"] = w.MaxRuntimeSec,
                ["eval_period_sec"] = w.EvalPeriodSec,
                ["step_hint"] = w.StepHint,
            };
        }

        return new JsonObject
        {
            ["format"] = 1,
            ["name"] = settings.Name,
            ["rules"] = settings.Rules.Name,
            ["ruleset"] = settings.Ruleset.ToString(),
            ["run_seed"] = settings.RunSeed.ToString(CultureInfo.InvariantCulture),
            ["point_policy"] = settings.PointPolicy.ToString(),
            ["selection"] = settings.Selection.ToString(),
            ["early_stopping"] = settings.EarlyStopping,
            ["studies"] = settings.Rules.Studies(settings.Ruleset),
            ["trials_per_study"] = settings.Rules.Trials(settings.Ruleset),
            ["submissions"] = new JsonArray([.. settings.Submissions.Select(s => JsonValue.Create(s))]),
            ["search_spaces"] = new JsonObject([.. settings.SearchSpaces.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))]),
            ["workloads"] = workloads,
            [ResumeKey] = Resume(settings),
        };
    }

    /// <summary>
    /// The key of what <c>algoperf resume</c> needs beyond the benchmark's identity: the custom rules version and the
    /// last start's trainers, threads, device and checkpoint cadence. Not part of the identity (a resume may use other
    /// trainers); rewritten by every start.
    /// </summary>
    public const string ResumeKey = "resume";

    private static JsonObject Resume(BenchmarkSettings settings)
    {
        JsonNode? rules = null;
        if (settings.CustomRules is { } custom)
        {
            var workloads = new JsonObject();
            foreach (var w in custom.Workloads)
            {
                workloads[w.Name] = new JsonObject
                {
                    ["validation_target"] = w.ValidationTarget,
                    ["test_target"] = w.TestTarget,
                    ["max_runtime_sec"] = w.MaxRuntimeSec,
                    ["eval_period_sec"] = w.EvalPeriodSec,
                    ["step_hint"] = w.StepHint,
                };
            }

            rules = new JsonObject
            {
                ["clock_from"] = custom.ClockFrom,
                ["studies_external"] = custom.StudiesExternal,
                ["studies_self_tuning"] = custom.StudiesSelfTuning,
                ["trials_per_study"] = custom.TrialsPerStudy,
                ["self_tuning_budget_factor"] = custom.SelfTuningBudgetFactor,
                ["workloads"] = workloads,
            };
        }

        return new JsonObject
        {
            ["custom_rules"] = rules,
            ["trainers"] = settings.Trainers,
            ["threads"] = settings.Threads,
            ["device"] = settings.Device,
            ["checkpoint_every_evals"] = settings.CheckpointEveryEvals,
            ["devices_per_trial"] = settings.Gangs.DevicesPerTrial,
            ["gang_timeout_sec"] = settings.Gangs.Timeout.TotalSeconds,
            ["gang_restarts"] = settings.Gangs.MaxRestarts,
            ["gangs_across_hosts"] = settings.Gangs.AcrossHosts,
            ["gang_reducer"] = settings.Gangs.Reducer,
        };
    }

    /// <summary>
    /// The settings of the run in <paramref name="runDirectory"/>, rebuilt from its <c>benchmark.json</c> alone (for
    /// <c>algoperf resume</c>); <see cref="WriteOrVerify"/> then checks they describe the same benchmark.
    /// </summary>
    /// <exception cref="InvalidDataException">No manifest, or one without what a resume needs (names the file and field).</exception>
    public static BenchmarkSettings Read(string runDirectory)
    {
        var (dir, path, m) = Load(runDirectory);
        try
        {
            return FromManifest(m, dir);
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or FormatException or ArgumentException or KeyNotFoundException)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>The manifest of <paramref name="runDirectory"/> as JSON, with the directory and the file's path.</summary>
    /// <exception cref="InvalidDataException">Not a run directory, or an unreadable manifest (names the file).</exception>
    public static (string Directory, string Path, JsonObject Manifest) Load(string runDirectory)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        var dir = System.IO.Path.GetFullPath(runDirectory);
        var path = System.IO.Path.Combine(dir, FileName);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{dir}: not a run directory (no {FileName}; `algoperf run CONFIG` makes one)");
        }

        try
        {
            return (dir, path, JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: not a JSON object"));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: unreadable run manifest: {e.Message}", e);
        }
    }

    /// <summary>A field's value, or an error naming the field (the caller names the file).</summary>
    /// <exception cref="InvalidDataException">Missing, or not a <typeparamref name="T"/>.</exception>
    internal static T Field<T>(JsonNode? node, string key) => node is JsonValue v && v.TryGetValue<T>(out var value) ? value
        : throw new InvalidDataException($"{key}: missing or not a {typeof(T).Name}");

    /// <summary>An enum field written by <see cref="Describe"/> (its member name).</summary>
    /// <exception cref="InvalidDataException">Missing, or not a member's name.</exception>
    internal static T Member<T>(JsonObject manifest, string key)
        where T : struct, Enum =>
        Enum.TryParse<T>(Field<string>(manifest[key], key), out var value) ? value
            : throw new InvalidDataException($"{key}: unknown ({manifest[key]})");

    /// <summary>The names a field lists: an array's strings, or an object's keys (<c>workloads</c>).</summary>
    /// <exception cref="InvalidDataException">Missing, or neither.</exception>
    internal static List<string> Names(JsonObject manifest, string key) => manifest[key] switch
    {
        JsonArray a => [.. a.Select((x, i) => Field<string>(x, $"{key}[{i}]"))],
        JsonObject o => [.. o.Select(kv => kv.Key)],
        _ => throw new InvalidDataException($"{key}: missing"),
    };

    private static BenchmarkSettings FromManifest(JsonObject m, string dir)
    {
        var resume = m[ResumeKey] as JsonObject
            ?? throw new InvalidDataException($"{ResumeKey}: missing (the run was started by an older algoperf; resume it with `algoperf run CONFIG --run-dir {dir}`)");
        var rulesName = Field<string>(m["rules"], "rules");
        var custom = new List<Contracts.Rules.CustomRulesSpec>();
        if (resume["custom_rules"] is JsonObject c)
        {
            var specs = new List<Contracts.Rules.WorkloadSpec>();
            foreach (var (name, node) in c["workloads"] as JsonObject ?? throw new InvalidDataException($"{ResumeKey}.custom_rules.workloads: missing"))
            {
                var key = $"{ResumeKey}.custom_rules.workloads.{name}";
                var o = node as JsonObject ?? throw new InvalidDataException($"{key}: not an object");
                specs.Add(Trainer.Workloads.DevSuiteSpecs.Get(name) with
                {
                    ValidationTarget = Field<double>(o["validation_target"], key + ".validation_target"),
                    TestTarget = Field<double>(o["test_target"], key + ".test_target"),
                    MaxRuntimeSec = Field<double>(o["max_runtime_sec"], key + ".max_runtime_sec"),
                    EvalPeriodSec = Field<double>(o["eval_period_sec"], key + ".eval_period_sec"),
                    StepHint = Field<int>(o["step_hint"], key + ".step_hint"),
                });
            }

            custom.Add(new Contracts.Rules.CustomRulesSpec(
                rulesName,
                Field<string>(c["clock_from"], $"{ResumeKey}.custom_rules.clock_from"),
                Field<int>(c["studies_external"], $"{ResumeKey}.custom_rules.studies_external"),
                Field<int>(c["studies_self_tuning"], $"{ResumeKey}.custom_rules.studies_self_tuning"),
                Field<int>(c["trials_per_study"], $"{ResumeKey}.custom_rules.trials_per_study"),
                Field<double>(c["self_tuning_budget_factor"], $"{ResumeKey}.custom_rules.self_tuning_budget_factor"),
                specs));
        }

        var rules = Contracts.Rules.CustomRulesSpec.Resolve(rulesName, custom);
        var spaces = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, node) in m["search_spaces"] as JsonObject ?? [])
        {
            spaces[name] = Field<string>(node, "search_spaces." + name);
        }

        return new BenchmarkSettings(
            Field<string>(m["name"], "name"),
            dir,
            rules,
            Member<Contracts.Rules.Ruleset>(m, "ruleset"),
            ulong.Parse(Field<string>(m["run_seed"], "run_seed"), CultureInfo.InvariantCulture),
            Member<Tuner.Plans.StudyPointPolicy>(m, "point_policy"),
            Member<Contracts.Scoring.StudySelectionRule>(m, "selection"),
            Field<bool>(m["early_stopping"], "early_stopping"),
            Names(m, "submissions"),
            spaces,
            Names(m, "workloads"),
            Field<int>(resume["trainers"], $"{ResumeKey}.trainers"),
            Field<int>(resume["threads"], $"{ResumeKey}.threads"),
            Field<int>(resume["checkpoint_every_evals"], $"{ResumeKey}.checkpoint_every_evals"),
            Field<string>(resume["device"], $"{ResumeKey}.device"))
        {
            CustomRules = custom.FirstOrDefault(),

            // Runs started before data-parallel gangs existed ran every trial on one device.
            Gangs = resume["devices_per_trial"] is null ? GangSettings.OneDevice : new GangSettings(
                Field<int>(resume["devices_per_trial"], $"{ResumeKey}.devices_per_trial"),
                TimeSpan.FromSeconds(Field<double>(resume["gang_timeout_sec"], $"{ResumeKey}.gang_timeout_sec")),
                Field<int>(resume["gang_restarts"], $"{ResumeKey}.gang_restarts"),
                Field<bool>(resume["gangs_across_hosts"], $"{ResumeKey}.gangs_across_hosts"),
                resume["gang_reducer"] is null ? null : Field<string>(resume["gang_reducer"], $"{ResumeKey}.gang_reducer")),
        };
    }

    /// <summary>The targets file inside the run directory (the reference's <c>workload_targets.json</c> format).</summary>
    public const string TargetsFileName = "workload_targets.json";

    /// <summary>
    /// The run's targets in the reference scorer's <c>workload_targets.json</c> format, so the run's logs can be scored
    /// again (<c>algoperf score --experiment-dir .../logs --targets .../workload_targets.json</c>, or the reference's
    /// Python scorer) with exactly the targets they were run against.
    /// </summary>
    public static JsonObject Targets(BenchmarkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var workloads = new JsonObject();
        foreach (var name in settings.Workloads)
        {
            var w = settings.Rules.Workload(name);
            workloads[name] = new JsonObject
            {
                ["target_metric_name"] = w.TargetMetric,
                ["target_metric_goal"] = w.Direction == Contracts.Rules.MetricDirection.Maximize ? "maximize" : "minimize",
                ["validation_target_value"] = w.ValidationTarget,
                ["test_target_value"] = w.TestTarget,
            };
        }

        return new JsonObject
        {
            ["base_workloads"] = new JsonArray([.. settings.Workloads.Where(w => !settings.Rules.Workload(w).IsVariant).Select(w => JsonValue.Create(w))]),
            ["held_out_workloads"] = new JsonArray(),
            ["workloads"] = workloads,
        };
    }

    /// <summary>The benchmark's identity: its manifest without the resume section, as compact JSON (what every node of a cluster must share).</summary>
    public static string Identity(BenchmarkSettings settings)
    {
        var manifest = Describe(settings);
        manifest.Remove(ResumeKey);
        return manifest.ToJsonString();
    }

    /// <summary>The first field in which two identities (<see cref="Identity"/>) differ, described; null when they are the same benchmark.</summary>
    public static string? FirstDifference(string expected, string actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var a = JsonNode.Parse(expected) as JsonObject ?? [];
        JsonObject b;
        try
        {
            b = JsonNode.Parse(actual) as JsonObject ?? [];
        }
        catch (JsonException e)
        {
            return $"its benchmark description is not JSON ({e.Message})";
        }

        foreach (var (key, value) in a)
        {
            if (!JsonNode.DeepEquals(b[key], value))
            {
                return $"{key}: its configuration says {b[key]?.ToJsonString() ?? "nothing"}, the coordinators' says {value?.ToJsonString()}";
            }
        }

        return b.Select(kv => kv.Key).FirstOrDefault(k => !a.ContainsKey(k)) is { } extra ? $"{extra}: not part of the coordinators' benchmark" : null;
    }

    /// <summary>
    /// Writes the manifest into a new run directory, or checks that an existing one describes the same benchmark.
    /// Returns true when the directory already held this run (a resume).
    /// </summary>
    /// <exception cref="InvalidDataException">The directory holds another benchmark (names the first differing field), or its manifest is unreadable.</exception>
    public static bool WriteOrVerify(BenchmarkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Directory.CreateDirectory(settings.RunDirectory);
        var path = Path.Combine(settings.RunDirectory, FileName);
        var expected = Describe(settings);
        if (!File.Exists(path))
        {
            // Targets first: a directory with a manifest always has its targets file.
            WriteAtomically(Path.Combine(settings.RunDirectory, TargetsFileName), Targets(settings));
            WriteAtomically(path, expected);
            return false;
        }

        JsonObject existing;
        try
        {
            existing = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: not a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: unreadable run manifest: {e.Message}", e);
        }

        foreach (var (key, value) in expected)
        {
            if (key != ResumeKey && !JsonNode.DeepEquals(existing[key], value))
            {
                throw new InvalidDataException(
                    $"{path}: {key}: this run directory holds a different benchmark ({existing[key]?.ToJsonString() ?? "missing"}, the configuration says {value?.ToJsonString()}); " +
                    "use another run-dir, or restore the configuration to resume it");
            }
        }

        // The same benchmark: record how this start runs it (what a later `algoperf resume` uses).
        if (!JsonNode.DeepEquals(existing[ResumeKey], expected[ResumeKey]))
        {
            WriteAtomically(path, expected);
        }

        return true;
    }

    // Flushed, renamed and the directory synced: a run directory never holds a half-written or vanished manifest.
    private static void WriteAtomically(string path, JsonObject json) =>
        AtomicFile.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
}
