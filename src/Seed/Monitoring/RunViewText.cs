using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Scorer.Live;

namespace AlgoPerf.Seed.Monitoring;

/// <summary>The states of a run as <c>algoperf status</c> reports them.</summary>
public static class RunStates
{
    /// <summary>A process is running it.</summary>
    public const string Running = "running";

    /// <summary>Every study is decided.</summary>
    public const string Finished = "finished";

    /// <summary>Neither: it stopped before the end (Ctrl-C, kill, a crash); <c>algoperf resume</c> continues it.</summary>
    public const string Interrupted = "interrupted";

    /// <summary>The state of a run from its view and whether a process holds its lock.</summary>
    public static string Of(RunView view, bool held)
    {
        ArgumentNullException.ThrowIfNull(view);
        return view.AllDecided ? Finished : held ? Running : Interrupted;
    }
}

/// <summary><see cref="RunView"/> as <c>algoperf status</c> prints it: JSON (<c>--format json</c>) or lines of text.</summary>
public static class RunViewText
{
    /// <summary>
    /// The JSON document: <c>{"name", "state", "as_of", "started_at", "total_trials", "trials": {state: n}, "studies":
    /// [...], "scores": {ruleset: {submission: score}}, "score_bounds": {ruleset: {submission: {score, best, worst}}},
    /// "final", "trainers", "device_busy_fraction", "eta_sec"}</c>. Infinite times are null.
    /// </summary>
    public static JsonObject Json(string name, string state, RunView view, ClusterView? cluster = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        var trials = new JsonObject();
        foreach (var (s, n) in view.TrialsByState)
        {
            trials[s] = n;
        }

        var scores = new JsonObject();
        var bounds = new JsonObject();
        foreach (var (submission, score) in view.Scores.Scores)
        {
            scores[submission] = Finite(score.Score);
            bounds[submission] = new JsonObject { ["score"] = Finite(score.Score), ["best"] = Finite(score.BestCase), ["worst"] = Finite(score.WorstCase) };
        }

        var studies = new JsonArray();
        foreach (var s in view.Studies)
        {
            studies.Add(new JsonObject
            {
                ["submission"] = s.Submission,
                ["workload"] = s.Workload,
                ["study"] = s.Study,
                ["trials"] = s.Trials,
                ["ended"] = s.Ended,
                ["decided"] = s.Decided,
                ["chosen_trial"] = s.ChosenTrial,
                ["time_to_target_sec"] = s.TimeToTargetSec is { } t ? Finite(t) : null,
            });
        }

        return new JsonObject
        {
            ["name"] = name,
            ["state"] = state,
            ["as_of"] = view.AsOf.ToString("O", CultureInfo.InvariantCulture),
            ["started_at"] = view.StartedAt?.ToString("O", CultureInfo.InvariantCulture),
            ["total_trials"] = view.TotalTrials,
            ["trials"] = trials,
            ["studies"] = studies,
            ["scores"] = new JsonObject { [view.Scores.Ruleset] = scores },
            ["score_bounds"] = new JsonObject { [view.Scores.Ruleset] = bounds },
            ["final"] = view.Scores.Final,
            ["trainers"] = view.Trainers,
            ["device_busy_fraction"] = view.DeviceBusyFraction,
            ["eta_sec"] = view.EtaSec,
            ["coordinator"] = cluster?.Coordinator,
            ["members"] = new JsonArray([.. (cluster?.Members ?? []).Select(m => (JsonNode)new JsonObject
            {
                ["address"] = m.Address,
                ["roles"] = new JsonArray([.. m.Roles.Select(r => (JsonNode?)JsonValue.Create(r))]),
                ["status"] = m.Status,
                ["reachable"] = m.Reachable,
                ["devices"] = new JsonArray([.. m.Devices.Select(d => (JsonNode)new JsonObject { ["device"] = d.Device, ["trial"] = d.Trial?.ToString() })]),
            })]),
        };
    }

    /// <summary>The JSON document as indented text.</summary>
    public static string JsonText(string name, string state, RunView view, ClusterView? cluster = null) =>
        Json(name, state, view, cluster).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    /// <summary>The status as lines for a person.</summary>
    public static string Text(string name, string state, RunView view, ClusterView? cluster = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        var sb = new StringBuilder();
        var since = view.StartedAt is { } start ? $", started {start.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC ({Duration((view.AsOf - start).TotalSeconds)} ago)" : string.Empty;
        Line(sb, $"{name}: {state}{since}");
        var counts = string.Join(", ", TrialStates.All.Where(s => view.Count(s) > 0 || s is TrialStates.Pending or TrialStates.Finished).Select(s => $"{view.Count(s)} {s}"));
        Line(sb, $"trials: {view.Ended}/{view.TotalTrials} ended ({counts})");
        if (view.DeviceBusyFraction is { } busy)
        {
            Line(sb, $"device time inside trials: {busy:P1} ({view.Trainers} trainer(s))");
        }

        if (view.EtaSec is { } eta && state == RunStates.Running)
        {
            Line(sb, $"time left: about {Duration(eta)} (the open trials' budgets at the pace so far; trials that reach the target end sooner)");
        }

        Line(sb, $"scores ({view.Scores.Ruleset}, {(view.Scores.Final ? "final" : "provisional [worst, best]")}):");
        foreach (var (submission, score) in view.Scores.Scores.OrderByDescending(kv => kv.Value.Score))
        {
            if (view.Scores.Final)
            {
                Line(sb, $"  {submission,-24} {score.Score:F4}");
            }
            else
            {
                Line(sb, $"  {submission,-24} {score.Score:F4} [{score.WorstCase:F4}, {score.BestCase:F4}]");
            }
        }

        Line(sb, $"studies:");
        foreach (var s in view.Studies)
        {
            var decision = !s.Decided ? "open"
                : s.ChosenTrial is { } chosen ? string.Create(CultureInfo.InvariantCulture, $"decided: trial {chosen}, target at {s.TimeToTargetSec:F1} s")
                : "decided: no trial reached the target";
            Line(sb, $"  {s.Submission}/{s.Workload}/study_{s.Study}: {s.Ended}/{s.Trials} trials ended, {decision}");
        }

        var open = view.Trials.Where(t => t.State is TrialStates.Running or TrialStates.Paused).ToList();
        if (open.Count > 0)
        {
            Line(sb, $"open trials:");
            foreach (var t in open)
            {
                var metric = t.Latest is { } m ? $"{t.Metric} {m:G4} (target {t.Target:G4})" : "no eval yet";
                Line(sb, $"  {t.Id}: {t.State}, step {t.Step}, {t.SubmissionTimeSec:F1}/{t.BudgetSec:F0} s, {metric}");
            }
        }

        if (cluster is not null)
        {
            Line(sb, $"cluster: coordinator {cluster.Coordinator}, as of {cluster.UpdatedAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC");
            foreach (var m in cluster.Members)
            {
                var devices = m.Devices.Count == 0 ? string.Empty : ": " + string.Join(", ", m.Devices.Select(d => $"{d.Device} {(d.Trial is { } t ? t.ToString() : "idle")}"));
                Line(sb, $"  {m.Address} [{string.Join(", ", m.Roles)}] {m.Status}{(m.Reachable ? string.Empty : " UNREACHABLE")}{devices}");
            }
        }

        return sb.ToString();
    }

    /// <summary>A duration as <c>1h02m</c>, <c>4m05s</c> or <c>12s</c>.</summary>
    public static string Duration(double seconds)
    {
        var s = (long)Math.Round(Math.Max(0, seconds));
        return s >= 3600 ? $"{s / 3600}h{s % 3600 / 60:00}m" : s >= 60 ? $"{s / 60}m{s % 60:00}s" : $"{s}s";
    }

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;

    private static void Line(StringBuilder sb, FormattableString text) => sb.Append(text.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
