using Akka.Actor;
using Akka.Configuration;
using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Persistence;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Scorer.Actors;
using AlgoPerf.Scorer.Input;
using AlgoPerf.Scorer.Live;
using AlgoPerf.Scorer.Model;
using AlgoPerf.Scorer.Procedure;
using AlgoPerf.Scorer.Reports;
using AlgoPerf.Seed.Cli;
using AlgoPerf.Seed.Dashboard;
using AlgoPerf.Seed.Monitoring;
using AlgoPerf.Trainer.Actors;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace AlgoPerf.Seed.Orchestration;

/// <summary>How a run is shown while it goes.</summary>
/// <param name="Progress">Live terminal view or plain lines.</param>
/// <param name="PlainEvery">The pace of plain progress lines.</param>
/// <param name="DashboardPort">Serve the dashboard on this port (0: any free port); null: no dashboard.</param>
/// <param name="DashboardToken">A bearer token the dashboard requires; null: none.</param>
/// <param name="DashboardHost">The address the dashboard binds (127.0.0.1 by default).</param>
internal sealed record RunDisplay(ProgressMode Progress, TimeSpan PlainEvery, int? DashboardPort, string? DashboardToken, string DashboardHost)
{
    /// <summary>The display of a verb's options: <c>--progress auto|live|plain</c>, <c>--dashboard [PORT]</c>, <c>--dashboard-token</c>, <c>--dashboard-host</c>.</summary>
    public static RunDisplay FromArgs(CommandArgs args, CliContext context)
    {
        var progress = args.Choice("progress", "auto", "auto", "live", "plain");
        int? port = null;
        if (args.Has("dashboard"))
        {
            var text = args.RawValue("dashboard");
            port = text is null ? DashboardServer.DefaultPort
                : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) && p <= 65535 ? p
                : throw new UsageException($"--dashboard takes an optional port (0-65535), got '{text}'");
        }

        var token = args.Get("dashboard-token") ?? Environment.GetEnvironmentVariable(DashboardServer.TokenVariable);
        var host = args.Get("dashboard-host") ?? "127.0.0.1";
        var terminal = progress == "live" || (progress == "auto" && context.IsTerminal);
        return new RunDisplay(terminal ? ProgressMode.Terminal : ProgressMode.Plain, TimeSpan.FromSeconds(15), port, string.IsNullOrEmpty(token) ? null : token, host);
    }
}

/// <summary>
/// One run of a benchmark in this process (the all-in-one role, for <c>algoperf run</c> and <c>algoperf resume</c>):
/// holds the run directory's lock, records the session, runs the studies on local trainers with the live scorer, shows
/// progress (terminal or plain lines, optional dashboard), then scores the logs with the reference procedure, writes the
/// report and prints the score table. Every log line goes to the run's <c>run.log</c>; warnings and errors also to the
/// terminal.
/// </summary>
internal static class BenchmarkRun
{
    /// <summary>The log file inside the run directory.</summary>
    public const string LogFileName = "run.log";

    public static async Task<int> ExecuteAsync(
        BenchmarkSettings settings,
        Config config,
        JournalStore journal,
        RestartBackoff backoff,
        RunDisplay display,
        CliContext context,
        CancellationToken cancellationToken)
    {
        // Everything that can be wrong with the input or the machine is checked before the run directory is touched:
        // a trial that fails for a missing library would otherwise be recorded as a failed trial for good.
        var submissions = TrainerBinding.ResolveSubmissions(settings);
        TrainerBinding.CheckMachine(settings);
        using var runLock = RunLock.Acquire(settings.RunDirectory);
        var resumed = RunManifest.WriteOrVerify(settings);
        await context.Error.WriteLineAsync(
            $"algoperf: {settings.Name}: {(resumed ? "resuming" : "starting")} in {settings.RunDirectory} " +
            $"({settings.Submissions.Count} submission(s) x {settings.Workloads.Count} workload(s) x {settings.Rules.Studies(settings.Ruleset)} " +
            $"stud(ies) x {settings.Rules.Trials(settings.Ruleset)} trial(s), {settings.Trainers} trainer(s) x {settings.ThreadsPerTrainer} thread(s)); " +
            $"log: {Path.Combine(settings.RunDirectory, LogFileName)}").ConfigureAwait(false);
        foreach (var w in settings.ProvisionalWorkloads)
        {
            await context.Error.WriteLineAsync($"warning: {w}: its dev-suite targets and budget are provisional estimates, not set by the target-setting procedure (docs/targets.md); do not report its scores").ConfigureAwait(false);
        }

        // Every log line (Akka's and the trial runner's) goes to run.log; warnings and errors stay visible on the
        // terminal: in the live view's message area, or on standard error beside the plain progress lines.
        RunProgress? progress = null;
        using var log = new LogFileRoute(Path.Combine(settings.RunDirectory, LogFileName), line =>
        {
            if (display.Progress == ProgressMode.Terminal && progress is { } p)
            {
                p.Message(line);
            }
            else
            {
                context.Error.WriteLine(line);
            }
        });
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(new LogOutputLoggerProvider(context.Time)));

        if (journal.SqliteFile is { } file)
        {
            SqliteJournalFile.Prepare(file);
        }

        var system = ActorSystem.Create("algoperf", journal.ToConfig().WithFallback(config));
        IReadOnlyList<StudyDecided> decisions;
        ScoresChanged? live = null;
        try
        {
            var trainers = TrainerBinding.CreateTrainers(system, settings, submissions, context.Time, loggerFactory.CreateLogger("trainer"));
            if (trainers.Count < settings.Gangs.DevicesPerTrial)
            {
                // device = cuda: one trainer per GPU LibTorch sees, known only now.
                throw new InvalidDataException($"algoperf.benchmark.devices-per-trial: a trial needs {settings.Gangs.DevicesPerTrial} devices, and this host has {trainers.Count} ({settings.Device})");
            }

            // Coordinated shutdown (the end of the run, Ctrl-C, SIGTERM): trainers pause their trials at the next step
            // and checkpoint before the actor system goes, so the same command resumes from there.
            TrainerBinding.DrainOnShutdown(system, trainers);
            var session = system.ActorOf(RunSessionActor.Props(settings), "session");
            var scheduler = system.ActorOf(
                SchedulerActor.Props(trainers, TrainerBinding.RunMessage(settings), TrainerBinding.CancelMessage, TrainerBinding.Gangs(settings)),
                "scheduler");
            // The live scorer follows the journal: provisional scores (with best and worst case) as trials end, and
            // the run's view (trials, curves, studies) for the progress display and the dashboard.
            var final = new TaskCompletionSource<ScoresChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
            var scorer = system.ActorOf(ScorerActor.Props(LiveSetup(settings, submissions)), "scorer");
            scorer.Tell(new SubscribeScores(system.ActorOf(ScoresListener.Props(final), "scores")));
            progress = new RunProgress(settings.Name, scorer, trainers, context.Time);

            await using var dashboard = display.DashboardPort is { } port
                ? await DashboardServer.StartAsync(new DashboardOptions(display.DashboardHost, port, display.DashboardToken, settings.RunDirectory), progress.LatestAsync, context.Time, cancellationToken).ConfigureAwait(false)
                : null;
            if (dashboard is not null)
            {
                await context.Error.WriteLineAsync($"algoperf: dashboard at {dashboard.Url}").ConfigureAwait(false);
            }

            using var showing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var show = progress.ShowAsync(display.Progress, context.Terminal, context.Error, display.PlainEvery, showing.Token);

            var done = new TaskCompletionSource<IReadOnlyList<StudyDecided>>(TaskCreationOptions.RunContinuationsAsynchronously);
            var spaces = submissions.ToDictionary(kv => kv.Key, kv => kv.Value.Space, StringComparer.Ordinal);
            system.ActorOf(BenchmarkActor.Props(settings, spaces, backoff, scheduler, done), "benchmark");
            try
            {
                decisions = await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);

                // A resume with every study decided ends at once: its session is recorded before the system goes (the
                // actor answers once its write is done, as commands wait while it persists).
                try
                {
                    await session.Ask<int>(new GetRunSession(), TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
                {
                    await context.Error.WriteLineAsync($"warning: this session of the run was not recorded ({e.Message}); status will not count its device time").ConfigureAwait(false);
                }

                try
                {
                    live = await final.Task.WaitAsync(TimeSpan.FromSeconds(30), context.Time, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    await context.Error.WriteLineAsync("warning: the live scorer did not publish final scores within 30 s of the last decision").ConfigureAwait(false);
                }
            }
            finally
            {
                await showing.CancelAsync().ConfigureAwait(false);
                await show.ConfigureAwait(false);
                if (dashboard is not null && !cancellationToken.IsCancellationRequested)
                {
                    // Open pages poll the run every second: give them its final state before the server stops.
                    await Task.Delay(DashboardServer.FinalStateGrace, context.Time, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            // Cancelled runs stop their trainers through coordinated shutdown (they checkpoint); the journal keeps
            // every decided outcome, so the same command resumes.
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ActorSystemTerminateReason.Instance).ConfigureAwait(false);
        }

        return await ReportAsync(settings, decisions, live, context).ConfigureAwait(false);
    }

    /// <summary>Scores the run's logs with the reference procedure, writes the report and prints the score table.</summary>
    private static async Task<int> ReportAsync(BenchmarkSettings settings, IReadOnlyList<StudyDecided> decisions, ScoresChanged? live, CliContext context)
    {
        var (text, result) = WriteReport(settings, decisions, line => context.Error.WriteLine(line));
        await context.Out.WriteAsync(text).ConfigureAwait(false);

        // Two independent paths to the same numbers: the journal's live projection and the reference procedure over
        // the written logs. A difference means an event or a log line was lost.
        if (live is not null)
        {
            var mismatched = result.Submissions
                .Where(s => !live.Scores.TryGetValue(s, out var l) || !SameScore(l.Score, result.ScoreOf(s)))
                .ToList();
            if (mismatched.Count > 0)
            {
                await context.Error.WriteLineAsync(
                    $"warning: the journal's live scores differ from the scores of the logs for {string.Join(", ", mismatched)} ({ScoresListener.Describe(live)})").ConfigureAwait(false);
            }
        }

        return 0;
    }

    /// <summary>
    /// Scores the run's AlgoPerf-format logs with the reference procedure (the numbers the reference scorer gives for
    /// them), writes <c>report/</c> and returns what a run prints at its end: the studies, the score table and the
    /// report's path. Importer warnings go to <paramref name="warn"/>.
    /// </summary>
    internal static (string Text, ScoringResult Result) WriteReport(BenchmarkSettings settings, IReadOnlyList<StudyDecided> decisions, Action<string> warn)
    {
        var logs = TrainerBinding.LogDirectory(settings);
        var warnings = new List<string>();
        var targets = WorkloadTargets.FromRules(settings.Rules);
        var trials = ExperimentDirectoryImporter.Import(logs, targets, settings.Ruleset.ToWire(), warnings);
        foreach (var warning in warnings)
        {
            warn("warning: " + warning);
        }

        var result = ScoringPipeline.Score(settings.Ruleset.ToWire(), trials, new ScoringOptions(BaseWorkloads(settings), [], settings.Selection));
        var reportDir = Path.Combine(settings.RunDirectory, "report");
        ReportWriter.Write(result, reportDir, curves: TrainingCurves.FromLogs(logs, targets, settings.Workloads, result));
        var text = new System.Text.StringBuilder()
            .Append(System.Globalization.CultureInfo.InvariantCulture, $"studies: {decisions.Count} decided, {decisions.Count(d => d.ChosenTrial is not null)} reached the target\n")
            .Append(ScoreText.Write(result))
            .Append(System.Globalization.CultureInfo.InvariantCulture, $"report: {Path.Combine(reportDir, "report.html")}\n");
        return (text.ToString(), result);
    }

    private static bool SameScore(double a, double b) => a == b || Math.Abs(a - b) <= 1e-12 * Math.Max(1, Math.Abs(b));

    /// <summary>The live scorer's setup for a run (its rules' targets, the scoring options, the plan's size).</summary>
    internal static LiveScoringSetup LiveSetup(BenchmarkSettings settings, IReadOnlyDictionary<string, RunSubmission> submissions)
    {
        var targets = WorkloadTargets.FromRules(settings.Rules);
        return new LiveScoringSetup(
            settings.Ruleset.ToWire(),
            targets,
            new ScoringOptions(BaseWorkloads(settings), [], settings.Selection),
            settings.Rules.Studies(settings.Ruleset),
            settings.Rules.Trials(settings.Ruleset),
            [.. submissions.Values.Select(s => s.Name)])
        {
            RunWorkloads = settings.Workloads,
        };
    }

    private static List<string> BaseWorkloads(BenchmarkSettings settings) =>
        [.. settings.Workloads.Where(w => !settings.Rules.Workload(w).IsVariant)];
}
