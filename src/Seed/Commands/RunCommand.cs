using AlgoPerf.Actors;
using AlgoPerf.Actors.Configuration;
using AlgoPerf.Actors.Persistence.Journal;
using AlgoPerf.Actors.Persistence.Journal.Serialization;
using AlgoPerf.Actors.Persistence.Journal.Sqlite;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Scorer.Input;
using AlgoPerf.Scorer.Model;
using AlgoPerf.Scorer.Procedure;
using AlgoPerf.Scorer.Reports;
using AlgoPerf.Seed.Cli;
using AlgoPerf.Seed.Orchestration;
using AlgoPerf.Tuner.Persistence;
using Microsoft.Extensions.Logging;

namespace AlgoPerf.Seed.Commands;

/// <summary>
/// <c>algoperf run CONFIG [--run-dir DIR] [--trainers N]</c>: the all-in-one role. Plans the benchmark with one
/// persistent tuner per study, runs the trials on local trainer actors (one per device), and when every study is
/// decided scores the run's AlgoPerf-format logs and writes the report. The journal (SQLite, in the run directory)
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
            throw new UsageException("usage: run CONFIG.conf [--run-dir DIR] [--trainers N] [--threads T]");
        }

        var configPath = args.Positionals[0];
        var runDirOverride = args.Get("run-dir");
        var trainersOverride = args.GetInt("trainers");
        var threadsOverride = args.GetInt("threads");
        args.EnsureAllUsed();

        var config = ConfigFactory.Load(configPath);
        if (!config.HasPath("algoperf.benchmark"))
        {
            throw new InvalidDataException($"{Path.GetFullPath(configPath)}: algoperf.benchmark: missing (a run configuration names its submissions and workloads there; see hocon/quickstart.conf)");
        }

        var actorSettings = ActorSystemSettings.FromConfig(config);
        var settings = BenchmarkSettings.FromConfig(config, Environment.CurrentDirectory);
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

        // Everything that can be wrong with the input or the machine is checked before the run directory is touched:
        // a trial that fails for a missing library would otherwise be recorded as a failed trial for good.
        var submissions = TrainerBinding.ResolveSubmissions(settings);
        TrainerBinding.CheckMachine(settings);
        var resumed = RunManifest.WriteOrVerify(settings);
        await context.Error.WriteLineAsync(
            $"algoperf run: {settings.Name}: {(resumed ? "resuming" : "starting")} in {settings.RunDirectory} " +
            $"({settings.Submissions.Count} submission(s) x {settings.Workloads.Count} workload(s) x {settings.Rules.Studies(settings.Ruleset)} " +
            $"stud(ies) x {settings.Rules.Trials(settings.Ruleset)} trial(s), {settings.Trainers} trainer(s) x {settings.ThreadsPerTrainer} thread(s))").ConfigureAwait(false);

        using var loggerFactory = LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Information)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            }));
        var decisions = await RunStudiesAsync(settings, submissions, actorSettings, loggerFactory, context, cancellationToken).ConfigureAwait(false);

        // Scored from the run's AlgoPerf-format logs with the reference procedure: the same numbers the reference
        // scorer gives for these logs.
        var logs = TrainerBinding.LogDirectory(settings);
        var warnings = new List<string>();
        var trials = ExperimentDirectoryImporter.Import(logs, WorkloadTargets.FromRules(settings.Rules), settings.Ruleset.ToWire(), warnings);
        foreach (var warning in warnings)
        {
            await context.Error.WriteLineAsync("warning: " + warning).ConfigureAwait(false);
        }

        var baseWorkloads = settings.Workloads.Where(w => !settings.Rules.Workload(w).IsVariant).ToList();
        var result = ScoringPipeline.Score(settings.Ruleset.ToWire(), trials, new ScoringOptions(baseWorkloads, [], settings.Selection));
        var reportDir = Path.Combine(settings.RunDirectory, "report");
        ReportWriter.Write(result, reportDir);

        await context.Out.WriteLineAsync($"studies: {decisions.Count} decided, {decisions.Count(d => d.ChosenTrial is not null)} reached the target").ConfigureAwait(false);
        await context.Out.WriteAsync(ScoreText.Write(result)).ConfigureAwait(false);
        await context.Out.WriteLineAsync($"report: {reportDir}").ConfigureAwait(false);
        return 0;
    }

    private static async Task<IReadOnlyList<StudyDecided>> RunStudiesAsync(
        BenchmarkSettings settings,
        IReadOnlyDictionary<string, RunSubmission> submissions,
        ActorSystemSettings actorSettings,
        ILoggerFactory loggerFactory,
        CliContext context,
        CancellationToken cancellationToken)
    {
        await using var store = await PersistenceStore.OpenSqliteAsync(
            new SqliteStoreOptions(Path.Combine(settings.RunDirectory, "journal.db")),
            new JsonEventSerializer(StudyJournal.RegisterEvents(EventTypeRegistry.ForContracts())),
            context.Time,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        var system = ActorSystem.Create("algoperf", actorSettings, context.Time, loggerFactory);
        try
        {
            var trainers = TrainerBinding.CreateTrainers(system, settings, submissions);
            var scheduler = system.ActorOf(
                SchedulerActor.Props(trainers, TrainerBinding.RunMessage(settings), TrainerBinding.CancelMessage),
                "scheduler");
            var done = new TaskCompletionSource<IReadOnlyList<StudyDecided>>(TaskCreationOptions.RunContinuationsAsynchronously);
            var spaces = submissions.ToDictionary(kv => kv.Key, kv => kv.Value.Space, StringComparer.Ordinal);
            system.ActorOf(BenchmarkActor.Props(settings, spaces, store.Journal, scheduler, done), "benchmark");
            return await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Cancelled runs stop their trainers through coordinated shutdown (they checkpoint); the journal keeps
            // every decided outcome, so the same command resumes.
            await system.Terminate().ConfigureAwait(false);
        }
    }
}
