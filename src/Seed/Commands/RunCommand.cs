using Akka.Actor;
using Akka.Configuration;
using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Contracts.Persistence;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Scorer.Actors;
using AlgoPerf.Scorer.Input;
using AlgoPerf.Scorer.Live;
using AlgoPerf.Scorer.Model;
using AlgoPerf.Scorer.Procedure;
using AlgoPerf.Scorer.Reports;
using AlgoPerf.Seed.Cli;
using AlgoPerf.Seed.Orchestration;
using AlgoPerf.Trainer.Actors;
using Microsoft.Extensions.Logging;

using AlgoPerf.Trainer.Workloads;

namespace AlgoPerf.Seed.Commands;

/// <summary>
/// <c>algoperf run CONFIG [--run-dir DIR] [--trainers N]</c>: the all-in-one role. Plans the benchmark with one
/// persistent tuner per study, runs the trials on local trainer actors (one per device), and when every study is
/// decided scores the run's AlgoPerf-format logs and writes the report. The journal (SQLite in the run directory, or
/// PostgreSQL with <c>--journal</c>, <c>ALGOPERF_JOURNAL</c> or <c>algoperf.journal</c>)
/// makes the run resumable: the same command on the same run directory continues where it stopped.
/// </summary>
internal sealed class RunCommand : ICommand
{
    public string Name => "run";

    public string Summary => "run a benchmark from a HOCON config (all roles in one process; resumable)";

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        if (args.Positionals.Count != 1)
        {
            throw new UsageException("usage: run CONFIG.conf [--run-dir DIR] [--trainers N] [--threads T] [--journal POSTGRES-CONNECTION]");
        }

        var configPath = args.Positionals[0];
        var runDirOverride = args.Get("run-dir");
        var trainersOverride = args.GetInt("trainers");
        var threadsOverride = args.GetInt("threads");
        var journalOverride = args.Get("journal") ?? Environment.GetEnvironmentVariable(JournalStore.ConnectionVariable);
        args.EnsureAllUsed();

        var source = Path.GetFullPath(configPath);
        var config = AlgoPerfConfig.Load(source);
        var settings = BenchmarkSettings.FromConfig(config, source, Environment.CurrentDirectory);
        var backoff = RestartBackoff.FromConfig(config, source);
        settings = settings with
        {
            RunDirectory = runDirOverride is null ? settings.RunDirectory : Path.GetFullPath(runDirOverride),
            Trainers = trainersOverride ?? settings.Trainers,
            Threads = threadsOverride ?? settings.Threads,
        };
        if (settings.Trainers < 1 || settings.Threads < 0)
        {
            throw new UsageException("--trainers must be at least 1 and --threads at least 0");
        }

        var journal = JournalStore.FromConfig(config, source, settings.RunDirectory, journalOverride);

        // Everything that can be wrong with the input or the machine is checked before the run directory is touched:
        // a trial that fails for a missing library would otherwise be recorded as a failed trial for good.
        var submissions = TrainerBinding.ResolveSubmissions(settings);
        TrainerBinding.CheckMachine(settings);
        var resumed = RunManifest.WriteOrVerify(settings);
        await context.Error.WriteLineAsync(
            $"algoperf run: {settings.Name}: {(resumed ? "resuming" : "starting")} in {settings.RunDirectory} " +
            $"({settings.Submissions.Count} submission(s) x {settings.Workloads.Count} workload(s) x {settings.Rules.Studies(settings.Ruleset)} " +
            $"stud(ies) x {settings.Rules.Trials(settings.Ruleset)} trial(s), {settings.Trainers} trainer(s) x {settings.ThreadsPerTrainer} thread(s))").ConfigureAwait(false);
        foreach (var w in settings.ProvisionalWorkloads)
        {
            await context.Error.WriteLineAsync($"warning: {w}: its dev-suite targets and budget are provisional estimates, not set by the target-setting procedure (docs/targets.md); do not report its scores").ConfigureAwait(false);
        }

        // The trial runner's log lines go to standard error, as Akka's do (StandardErrorLogger): standard output keeps
        // the score table only.
        using var loggerFactory = LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Information)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            })
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        var (decisions, live) = await RunStudiesAsync(settings, submissions, config, journal, backoff, loggerFactory, context, cancellationToken).ConfigureAwait(false);

        // Scored from the run's AlgoPerf-format logs with the reference procedure: the same numbers the reference
        // scorer gives for these logs.
        var logs = TrainerBinding.LogDirectory(settings);
        var warnings = new List<string>();
        var trials = ExperimentDirectoryImporter.Import(logs, WorkloadTargets.FromRules(settings.Rules), settings.Ruleset.ToWire(), warnings);
        foreach (var warning in warnings)
        {
            await context.Error.WriteLineAsync("warning: " + warning).ConfigureAwait(false);
        }

        var result = ScoringPipeline.Score(settings.Ruleset.ToWire(), trials, new ScoringOptions(BaseWorkloads(settings), [], settings.Selection));
        var reportDir = Path.Combine(settings.RunDirectory, "report");
        ReportWriter.Write(result, reportDir);

        await context.Out.WriteLineAsync($"studies: {decisions.Count} decided, {decisions.Count(d => d.ChosenTrial is not null)} reached the target").ConfigureAwait(false);
        await context.Out.WriteAsync(ScoreText.Write(result)).ConfigureAwait(false);
        await context.Out.WriteLineAsync($"report: {reportDir}").ConfigureAwait(false);

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

    private static bool SameScore(double a, double b) => a == b || Math.Abs(a - b) <= 1e-12 * Math.Max(1, Math.Abs(b));

    private static LiveScoringSetup LiveSetup(BenchmarkSettings settings, IReadOnlyDictionary<string, RunSubmission> submissions)
    {
        var targets = WorkloadTargets.FromRules(settings.Rules);
        return new LiveScoringSetup(
            settings.Ruleset.ToWire(),
            targets,
            new ScoringOptions(BaseWorkloads(settings), [], settings.Selection),
            settings.Rules.Studies(settings.Ruleset),
            settings.Rules.Trials(settings.Ruleset),
            [.. submissions.Values.Select(s => s.Name)]);
    }

    private static List<string> BaseWorkloads(BenchmarkSettings settings) =>
        [.. settings.Workloads.Where(w => !settings.Rules.Workload(w).IsVariant)];

    private static async Task<(IReadOnlyList<StudyDecided> Decisions, ScoresChanged? Live)> RunStudiesAsync(
        BenchmarkSettings settings,
        IReadOnlyDictionary<string, RunSubmission> submissions,
        Config config,
        JournalStore journal,
        RestartBackoff backoff,
        ILoggerFactory loggerFactory,
        CliContext context,
        CancellationToken cancellationToken)
    {
        // The run directory's SQLite file is prepared first: WAL, and a journal of the old runtime is refused untouched.
        if (journal.SqliteFile is { } file)
        {
            SqliteJournalFile.Prepare(file);
        }

        var system = ActorSystem.Create("algoperf", journal.ToConfig().WithFallback(config));
        try
        {
            var trainers = TrainerBinding.CreateTrainers(system, settings, submissions, context.Time, loggerFactory.CreateLogger("trainer"));
            // Coordinated shutdown (the end of the run, Ctrl-C, SIGTERM): trainers pause their trials at the next step
            // and checkpoint before the actor system goes, so the same command resumes from there.
            var shutdown = CoordinatedShutdown.Get(system);
            var drainTimeout = shutdown.Timeout(CoordinatedShutdown.PhaseServiceRequestsDone);
            shutdown.AddTask(CoordinatedShutdown.PhaseServiceRequestsDone, "drain-trainers", async () =>
            {
                // A trainer that has stopped (it would never answer) counts as drained.
                await Task.WhenAll(trainers.Select(t => Task.WhenAny(t.Ask<TrainerDrained>(DrainTrainer.Instance, drainTimeout), t.WatchAsync()))).ConfigureAwait(false);
                return Akka.Done.Instance;
            });
            var scheduler = system.ActorOf(
                SchedulerActor.Props(trainers, TrainerBinding.RunMessage(settings), TrainerBinding.CancelMessage),
                "scheduler");
            // The live scorer follows the journal: provisional scores (with best and worst case) as trials end.
            var final = new TaskCompletionSource<ScoresChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
            var scorer = system.ActorOf(ScorerActor.Props(LiveSetup(settings, submissions)), "scorer");
            scorer.Tell(new SubscribeScores(system.ActorOf(ScoresListener.Props(final), "scores")));

            var done = new TaskCompletionSource<IReadOnlyList<StudyDecided>>(TaskCreationOptions.RunContinuationsAsynchronously);
            var spaces = submissions.ToDictionary(kv => kv.Key, kv => kv.Value.Space, StringComparer.Ordinal);
            system.ActorOf(BenchmarkActor.Props(settings, spaces, backoff, scheduler, done), "benchmark");
            var decisions = await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            ScoresChanged? live = null;
            try
            {
                live = await final.Task.WaitAsync(TimeSpan.FromSeconds(30), context.Time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await context.Error.WriteLineAsync("warning: the live scorer did not publish final scores within 30 s of the last decision").ConfigureAwait(false);
            }

            return (decisions, live);
        }
        finally
        {
            // Cancelled runs stop their trainers through coordinated shutdown (they checkpoint); the journal keeps
            // every decided outcome, so the same command resumes.
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ActorSystemTerminateReason.Instance).ConfigureAwait(false);
        }
    }
}
