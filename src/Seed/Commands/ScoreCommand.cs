using AlgoPerf.Contracts.Rules;
using AlgoPerf.Contracts.Scoring;
using AlgoPerf.Scorer.Input;
using AlgoPerf.Scorer.Model;
using AlgoPerf.Scorer.Procedure;
using AlgoPerf.Scorer.Reports;
using AlgoPerf.Seed.Cli;

namespace AlgoPerf.Seed.Commands;

/// <summary>
/// <c>./algoperf score</c>: AlgoPerf benchmark scores, exactly as the reference scorer computes them, from a trial
/// table (<c>--trials FILE.csv --ruleset R --base-workloads a,b,...</c>) or from AlgoPerf experiment directories
/// (<c>--experiment-dir DIR --rules v0.5|v0.6</c> or <c>--targets workload_targets.json</c>).
/// </summary>
internal sealed class ScoreCommand : ICommand
{
    public string Name => "score";

    public string Summary => "AlgoPerf scores from a trial table or experiment directories (json/table, reports)";

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        var trialsFile = args.Get("trials");
        var experimentDir = args.Get("experiment-dir");
        if ((trialsFile is null) == (experimentDir is null))
        {
            throw new UsageException("give exactly one of --trials FILE.csv or --experiment-dir DIR");
        }

        var rulesName = args.Get("rules");
        var targetsFile = args.Get("targets");
        var rulesetText = args.Get("ruleset");
        var selection = Parse(() => StudySelectionRules.Parse(args.Get("selection") ?? "reference"), "--selection must be reference or fastest");
        var format = args.Choice("format", "table", "table", "json");
        var reportDir = args.Get("report-dir");
        var speedupBaseline = args.Get("speedup-baseline");
        var baseOverride = args.GetList("base-workloads");
        var heldOutOverride = args.Has("held-out") ? args.GetList("held-out") : null;
        args.EnsureAllUsed();

        var targets = targetsFile is not null ? WorkloadTargets.Load(targetsFile)
            : rulesName is not null ? WorkloadTargets.FromRules(Parse(() => RulesVersions.Get(rulesName), $"--rules must be v0.5 or v0.6 (got '{rulesName}')"))
            : null;
        var baseWorkloads = baseOverride.Count > 0 ? baseOverride
            : targets?.BaseWorkloads ?? throw new UsageException("give --base-workloads a,b,... (or --rules / --targets to take them from a rules version)");
        var heldOut = heldOutOverride ?? targets?.HeldOutWorkloads ?? [];

        IReadOnlyList<TrialRecord> trials;
        string ruleset;
        if (trialsFile is not null)
        {
            ruleset = Parse(() => RulesetNames.Parse(rulesetText ?? throw new UsageException("--trials needs --ruleset external_tuning|self_tuning")), $"--ruleset must be external_tuning or self_tuning (got '{rulesetText}')").ToWire();
            trials = TrialTableReader.Read(trialsFile).Where(t => t.Ruleset == ruleset).ToList();
            if (trials.Count == 0)
            {
                throw new InvalidDataException($"{trialsFile}: no trials for ruleset '{ruleset}'");
            }
        }
        else
        {
            ruleset = Parse(() => RulesetNames.Parse(rulesetText ?? "external_tuning"), $"--ruleset must be external_tuning or self_tuning (got '{rulesetText}')").ToWire();
            var warnings = new List<string>();
            trials = ExperimentDirectoryImporter.Import(
                experimentDir!, targets ?? throw new UsageException("--experiment-dir needs --rules v0.5|v0.6 or --targets FILE"), ruleset, warnings);
            foreach (var warning in warnings)
            {
                await context.Error.WriteLineAsync("warning: " + warning).ConfigureAwait(false);
            }

            if (trials.Count == 0)
            {
                throw new InvalidDataException($"{experimentDir}: no trial with an {ExperimentDirectoryImporter.MeasurementsFile} found");
            }
        }

        var result = ScoringPipeline.Score(ruleset, trials, new ScoringOptions(baseWorkloads, heldOut, selection));
        var speedups = speedupBaseline is null ? null : Speedups(result, speedupBaseline);
        if (reportDir is not null)
        {
            ReportWriter.Write(result, reportDir, speedups);
        }

        var text = format == "json" ? ScoreJson.Write(result, speedups) : ScoreText.Write(result, speedups);
        await context.Out.WriteAsync(text).ConfigureAwait(false);
        return 0;
    }

    private static Dictionary<string, double> Speedups(ScoringResult result, string baseline)
    {
        var ruleset = RulesetNames.Parse(result.Ruleset);
        return result.Submissions
            .Where(s => s != baseline)
            .ToDictionary(s => s, s => Speedup.GeometricMean(result.WorkloadTimes, result.Options.BaseWorkloads, baseline, s, ruleset), StringComparer.Ordinal);
    }

    private static T Parse<T>(Func<T> parse, string usage)
    {
        try
        {
            return parse();
        }
        catch (Exception e) when (e is FormatException or KeyNotFoundException)
        {
            throw new UsageException(usage);
        }
    }
}
