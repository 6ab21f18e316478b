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
            if (!JsonNode.DeepEquals(existing[key], value))
            {
                throw new InvalidDataException(
                    $"{path}: {key}: this run directory holds a different benchmark ({existing[key]?.ToJsonString() ?? "missing"}, the configuration says {value?.ToJsonString()}); " +
                    "use another run-dir, or restore the configuration to resume it");
            }
        }

        return true;
    }

    // Flushed, renamed and the directory synced: a run directory never holds a half-written or vanished manifest.
    private static void WriteAtomically(string path, JsonObject json) =>
        AtomicFile.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
}
