using System.Globalization;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Scorer.Live;
using AlgoPerf.Trainer.Actors;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace AlgoPerf.Seed.Monitoring;

/// <summary>What the progress view shows at one moment: the journal's view and the trainers' live step counts.</summary>
/// <param name="Name">The benchmark's name.</param>
/// <param name="View">The journal's view (trials, studies, scores).</param>
/// <param name="Trainers">Each trainer's status (its running trial's step and submission time between evals).</param>
/// <param name="Live">True when a process runs the run now.</param>
public sealed record LiveSnapshot(string Name, RunView View, IReadOnlyList<TrainerStatus> Trainers, bool Live = true)
{
    /// <summary>A running trial's step and submission time: the trainer's when it runs it, else the latest eval's.</summary>
    public (long Step, double SubmissionTimeSec) Progress(TrialView trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var id = new TrialId(trial.Submission, trial.Workload, trial.Study, trial.Trial);
        var status = Trainers.FirstOrDefault(t => t.Trial == id);
        return status is null ? (trial.Step, trial.SubmissionTimeSec)
            : (Math.Max(trial.Step, status.GlobalStep), Math.Max(trial.SubmissionTimeSec, status.SubmissionTimeSec));
    }
}

/// <summary>
/// The terminal's live view of a run (Spectre.Console): one row per running trial (submission, workload, study and
/// trial, step, submission time against its budget as a bar, latest validation metric against the target), trials
/// ended out of all, provisional scores with their bounds, the time left, and the latest warnings and errors.
/// </summary>
public static class RunConsoleView
{
    private const int BarWidth = 20;

    /// <summary>The renderable of <paramref name="snapshot"/> with <paramref name="messages"/> (newest last).</summary>
    public static IRenderable Render(LiveSnapshot snapshot, IReadOnlyList<string> messages)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(messages);
        var view = snapshot.View;
        var rows = new List<IRenderable>
        {
            new Markup(Markup.Escape(Header(snapshot))),
        };

        var table = new Table().Border(TableBorder.Simple).Expand();
        table.AddColumn("submission");
        table.AddColumn("workload");
        table.AddColumn("study/trial");
        table.AddColumn(new TableColumn("step").RightAligned());
        table.AddColumn("submission time / budget");
        table.AddColumn("validation metric / target");
        var running = view.Trials.Where(t => t.State == TrialStates.Running).ToList();
        foreach (var t in running)
        {
            var (step, time) = snapshot.Progress(t);
            table.AddRow(
                new Text(t.Submission),
                new Text(t.Workload),
                new Text(Invariant($"{t.Study}/{t.Trial}")),
                new Text(step.ToString(CultureInfo.InvariantCulture)),
                new Markup(Bar(time, t.BudgetSec)),
                new Markup(Metric(t)));
        }

        if (running.Count == 0)
        {
            table.AddRow(new Text(view.AllDecided ? "every study is decided" : "no trial running"), Text.Empty, Text.Empty, Text.Empty, Text.Empty, Text.Empty);
        }

        rows.Add(table);
        rows.Add(new Markup(Markup.Escape(Scores(view))));
        foreach (var m in messages)
        {
            rows.Add(new Markup((m.Contains(" error", StringComparison.Ordinal) ? "[red]" : "[yellow]") + Markup.Escape(m) + "[/]"));
        }

        return new Rows(rows);
    }

    /// <summary>The first line: name, trials ended out of all, running, failed, elapsed time and time left.</summary>
    public static string Header(LiveSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var v = snapshot.View;
        var elapsed = v.StartedAt is { } s ? $" · elapsed {RunViewText.Duration((v.AsOf - s).TotalSeconds)}" : string.Empty;
        var eta = v.EtaSec is { } e ? $" · about {RunViewText.Duration(e)} left" : string.Empty;
        var failed = v.Count(TrialStates.Failed) > 0 ? Invariant($" · {v.Count(TrialStates.Failed)} failed") : string.Empty;
        return Invariant($"{snapshot.Name}: {v.Ended}/{v.TotalTrials} trials ended · {v.Count(TrialStates.Running)} running{failed}{elapsed}{eta}");
    }

    /// <summary>The scores line: provisional score with [worst, best] per submission, best first.</summary>
    public static string Scores(RunView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var parts = view.Scores.Scores
            .OrderByDescending(kv => kv.Value.Score)
            .Select(kv => view.Scores.Final ? Invariant($"{kv.Key} {kv.Value.Score:F4}") : Invariant($"{kv.Key} {kv.Value.Score:F4} [{kv.Value.WorstCase:F4}, {kv.Value.BestCase:F4}]"));
        return $"{(view.Scores.Final ? "final" : "provisional")} scores ({view.Scores.Ruleset}): {string.Join("  ", parts)}";
    }

    /// <summary>A plain progress line for a log (no terminal): the header, the scores, and each running trial briefly.</summary>
    public static string PlainLine(LiveSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var running = snapshot.View.Trials.Where(t => t.State == TrialStates.Running).Select(t =>
        {
            var (step, time) = snapshot.Progress(t);
            var metric = t.Latest is { } m ? Invariant($" {Short(t.Metric)} {m:G4}/{t.Target:G4}") : string.Empty;
            return Invariant($"{t.Id} step {step} {time:F0}/{t.BudgetSec:F0}s{metric}");
        });
        var trials = string.Join("; ", running);
        return $"{Header(snapshot)} | {Scores(snapshot.View)}{(trials.Length > 0 ? " | " + trials : string.Empty)}";
    }

    private static string Bar(double time, double budget)
    {
        var fraction = budget > 0 ? Math.Clamp(time / budget, 0, 1) : 0;
        var filled = (int)Math.Round(fraction * BarWidth);
        return Invariant($"[green]{new string('━', filled)}[/][grey]{new string('━', BarWidth - filled)}[/] {time:F0}/{budget:F0} s");
    }

    private static string Metric(TrialView t)
    {
        if (t.Latest is not { } latest)
        {
            return "[grey]no eval yet[/]";
        }

        var met = t.HitTimeSec is not null;
        return Invariant($"{(met ? "[green]" : string.Empty)}{Markup.Escape(Short(t.Metric))} {latest:G4}{(met ? "[/]" : string.Empty)} / {t.Target:G4}");
    }

    private static string Short(string metric) => metric.StartsWith("validation/", StringComparison.Ordinal) ? metric["validation/".Length..] : metric;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
