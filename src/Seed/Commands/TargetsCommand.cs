using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlgoPerf.Seed.Cli;
using AlgoPerf.Seed.Targets;
using AlgoPerf.Trainer.Workloads;

namespace AlgoPerf.Seed.Commands;

/// <summary>
/// The dev suite's target-setting procedure (docs/targets.md):
/// <c>./algoperf targets run --workload W --run-dir D [--algorithms adamw,nadamw,nesterov,momentum] [--trials 20]
/// [--reruns 5] [--eval-period S] [--threads T] [--checkpoint-every N] [--max-steps N] [--search-space NAME=FILE,...]
/// [--format table|json]</c> tunes
/// the algorithms with the target-setting schedule, reruns the best configuration and prints the derived targets;
/// <c>./algoperf targets derive --workload W --run-dir D [--reruns R] [--format table|json]</c> prints them from what a
/// run directory holds. Rerunning <c>targets run</c> resumes: a trial the run directory's <c>trials.jsonl</c> lists is
/// done (checkpoints or not, <see cref="TrialLedger"/>); any other resumes from its last checkpoint.
/// <c>./algoperf targets tune ... --shard I/N</c> (the options of <c>run</c> less <c>--reruns</c> and <c>--format</c>)
/// runs only every N-th tuning trial, from the I-th: N such processes with a share of the cores each tune in parallel,
/// and a <c>targets run</c> afterwards finds their trials finished and selects and reruns at the reference configuration.
/// </summary>
internal sealed class TargetsCommand : ICommand
{
    private const string Usage =
        "usage: targets run --workload W --run-dir D [--algorithms a,b,...] [--trials N] [--reruns R] [--eval-period S] [--threads T] [--checkpoint-every N] [--max-steps N] [--search-space NAME=FILE,...] [--format table|json]"
        + " | targets tune --workload W --run-dir D --shard I/N [--algorithms a,b,...] [--trials N] [--eval-period S] [--threads T] [--checkpoint-every N] [--max-steps N] [--search-space NAME=FILE,...]"
        + " | targets derive --workload W --run-dir D [--reruns R] [--format table|json]";

    public string Name => "targets";

    public string Summary => "targets run|tune|derive --workload W --run-dir D: the dev suite's target-setting procedure";

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        var verb = args.Positionals switch
        {
            ["run"] => "run",
            ["tune"] => "tune",
            ["derive"] => "derive",
            _ => throw new UsageException(Usage),
        };
        var workloadName = args.Required("workload");
        var runDirectory = args.Required("run-dir");
        var format = verb == "tune" ? "table" : args.Choice("format", "table", "table", "json");
        var reruns = verb == "tune" ? null : args.GetInt("reruns");
        if (reruns is < 1)
        {
            throw new UsageException($"--reruns must be at least 1 (got {reruns})");
        }

        if (!DevSuite.Names.Contains(workloadName))
        {
            throw new ArgumentException($"unknown workload '{workloadName}'; known: {string.Join(", ", DevSuite.Names)}");
        }

        var spec = DevSuiteSpecs.Get(workloadName);
        DerivedTargets derived;
        if (verb == "derive")
        {
            args.EnsureAllUsed();
            derived = Derive(runDirectory, spec, reruns);
        }
        else
        {
            var algorithms = args.Has("algorithms") ? args.GetList("algorithms") : ["adamw", "nadamw", "nesterov", "momentum"];
            var trials = args.GetInt("trials") ?? 20;
            var evalPeriod = args.GetDouble("eval-period");
            var threads = args.GetInt("threads");
            var checkpointEvery = args.GetInt("checkpoint-every") ?? 1;
            var maxSteps = args.GetInt("max-steps");
            var searchSpaces = SearchSpaceFiles(args.GetList("search-space"));
            var shard = verb == "tune" ? Shard(args.Required("shard")) : (Index: 1, Count: 1);
            args.EnsureAllUsed();
            if (algorithms.Count == 0 || trials < 1 || threads is < 1 || checkpointEvery < 1 || maxSteps is < 1 || evalPeriod is <= 0)
            {
                throw new UsageException("--algorithms needs at least one name; --trials, --threads, --checkpoint-every and --max-steps must be at least 1; --eval-period positive");
            }

            var options = new TargetSettingOptions(workloadName, runDirectory, algorithms, trials, reruns ?? 5, evalPeriod, threads, checkpointEvery, maxSteps, searchSpaces);
            Directory.CreateDirectory(runDirectory);
            if (verb == "tune")
            {
                var ran = new TargetSettingRun(options, context.Time, context.Out).Tune(shard.Index, shard.Count, cancellationToken);
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"shard {shard.Index}/{shard.Count}: {ran} tuning trials done; `targets run` with the same options selects and reruns")).ConfigureAwait(false);
                return 0;
            }

            derived = new TargetSettingRun(options, context.Time, format == "json" ? context.Error : context.Out).Run(cancellationToken);
        }

        var text = format == "json" ? ToJson(derived).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) : ToTable(derived);
        await context.Out.WriteLineAsync(text).ConfigureAwait(false);
        return 0;
    }

    private static DerivedTargets Derive(string runDirectory, AlgoPerf.Contracts.Rules.WorkloadSpec spec, int? reruns)
    {
        try
        {
            return TargetSettingRun.Derive(runDirectory, spec, reruns);
        }
        catch (InvalidOperationException e)
        {
            // Nothing (usable) to derive from yet is bad input to this verb, not a crash.
            throw new ArgumentException(e.Message, e);
        }
    }

    private static (int Index, int Count) Shard(string value)
    {
        var parts = value.Split('/');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count >= 1 && index >= 1 && index <= count
                ? (index, count)
                : throw new UsageException($"--shard takes I/N with 1 <= I <= N, e.g. 1/2 (got '{value}')");
    }

    private static Dictionary<string, string> SearchSpaceFiles(IReadOnlyList<string> entries)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var at = entry.IndexOf('=', StringComparison.Ordinal);
            if (at < 1 || at == entry.Length - 1 || !files.TryAdd(entry[..at], entry[(at + 1)..]))
            {
                throw new UsageException($"--search-space takes NAME=FILE entries, each name once (got '{entry}')");
            }
        }

        return files;
    }

    /// <summary>The <c>DevSuiteSpecs.Build()</c> line the derivation gives (a variant keeps its base's budget line).</summary>
    internal static string SpecLine(DerivedTargets d)
    {
        var w = d.Workload;
        return w.IsVariant
            ? string.Create(CultureInfo.InvariantCulture, $"Variant(\"{w.Name}\", \"{w.BaseName}\", {Number(d.ValidationTarget)}, {Number(d.TestTarget)});")
            : string.Create(CultureInfo.InvariantCulture, $"Base(\"{w.Name}\", \"{w.TargetMetric}\", {Number(d.ValidationTarget)}, {Number(d.TestTarget)}, {d.MaxRuntimeSec:R}, {d.StepHint:R}, {d.EvalPeriodSec:R});");
    }

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static string ToTable(DerivedTargets d)
    {
        var w = d.Workload;
        var key = w.ValidationMetricKey;
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"{w.Name}: selected {d.Selected.Submission} trial {d.Selected.Trial} of {d.TuningTrials} tuning trials (best {key} {d.SelectedBestValidation:G6})"),
            "algorithm  trials  without result  best " + key + "  median best",
        };
        lines.AddRange(d.Algorithms.Select(a => string.Create(CultureInfo.InvariantCulture,
            $"{a.Submission,-9}  {a.Trials,6}  {a.WithoutResult,14}  {a.Best,-12:G6}  {a.Median:G6}")));
        lines.Add("rerun  best " + key + "  best " + w.TestMetricKey + "  runtime s  reached");
        lines.AddRange(d.Reruns.Select(r => string.Create(CultureInfo.InvariantCulture,
            $"{r.Curve.Study,5}  {r.BestValidation,-12:G6}  {r.BestTest,-12:G6}  {r.Runtime,9:F1}  {(r.ReachedTarget ? "yes" : "no")}")));
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"validation target {d.ValidationTarget:G6}, test target {d.TestTarget:G6}, median runtime {d.MedianRuntime:F1} s -> budget {d.MaxRuntimeSec:R} s, step_hint {d.StepHint}, eval period {d.EvalPeriodSec:R} s"));
        lines.Add(SpecLine(d));
        return string.Join(Environment.NewLine, lines);
    }

    private static JsonObject ToJson(DerivedTargets d) => new()
    {
        ["workload"] = d.Workload.Name,
        ["metric"] = d.Workload.ValidationMetricKey,
        ["tuning_trials"] = d.TuningTrials,
        ["algorithms"] = new JsonArray([.. d.Algorithms.Select(a => (JsonNode)new JsonObject
        {
            ["submission"] = a.Submission,
            ["trials"] = a.Trials,
            ["without_result"] = a.WithoutResult,
            ["best_validation"] = Finite(a.Best),
            ["median_best_validation"] = Finite(a.Median),
        })]),
        ["selected"] = new JsonObject
        {
            ["submission"] = d.Selected.Submission,
            ["trial"] = d.Selected.Trial,
            ["best_validation"] = Finite(d.SelectedBestValidation),
            ["directory"] = d.Selected.Directory,
        },
        ["reruns"] = new JsonArray([.. d.Reruns.Select(r => (JsonNode)new JsonObject
        {
            ["study"] = r.Curve.Study,
            ["best_validation"] = Finite(r.BestValidation),
            ["best_test"] = Finite(r.BestTest),
            ["runtime_sec"] = Finite(r.Runtime),
            ["reached_target"] = r.ReachedTarget,
        })]),
        ["validation_target"] = Finite(d.ValidationTarget),
        ["test_target"] = Finite(d.TestTarget),
        ["median_runtime_sec"] = Finite(d.MedianRuntime),
        ["max_runtime_sec"] = d.MaxRuntimeSec,
        ["step_hint"] = d.StepHint,
        ["eval_period_sec"] = d.EvalPeriodSec,
        ["spec_line"] = SpecLine(d),
    };

    private static JsonNode? Finite(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;
}
