using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Contracts.Persistence;
using AlgoPerf.Seed.Cli;
using AlgoPerf.Seed.Orchestration;

namespace AlgoPerf.Seed.Commands;

/// <summary>
/// <c>algoperf run CONFIG [--run-dir DIR] [--trainers N] [--threads T] [--journal CONNECTION] [--progress auto|live|plain]
/// [--dashboard [PORT]] [--dashboard-token TOKEN]</c>: the all-in-one role. Plans the benchmark with one persistent tuner
/// per study, runs the trials on local trainer actors (one per device), shows the progress, and when every study is
/// decided scores the run's AlgoPerf-format logs and writes the report (<see cref="BenchmarkRun"/>). The journal
/// (SQLite in the run directory, or PostgreSQL with <c>--journal</c>, <c>ALGOPERF_JOURNAL</c> or <c>algoperf.journal</c>)
/// makes the run resumable: the same command on the same run directory, or <c>algoperf resume DIR</c>, continues it.
/// </summary>
internal sealed class RunCommand : ICommand
{
    internal const string DisplayUsage = "[--progress auto|live|plain] [--dashboard [PORT]] [--dashboard-token TOKEN] [--dashboard-host ADDRESS]";

    public string Name => "run";

    public string Summary => "run a benchmark from a HOCON config (all roles in one process; resumable)";

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        if (args.Positionals.Count != 1)
        {
            throw new UsageException($"usage: run CONFIG.conf [--run-dir DIR] [--trainers N] [--threads T] [--journal POSTGRES-CONNECTION] {DisplayUsage}");
        }

        var configPath = args.Positionals[0];
        var runDirOverride = args.Get("run-dir");
        var trainersOverride = args.GetInt("trainers");
        var threadsOverride = args.GetInt("threads");
        var journalOverride = args.Get("journal") ?? Environment.GetEnvironmentVariable(JournalStore.ConnectionVariable);
        var display = RunDisplay.FromArgs(args, context);
        args.EnsureAllUsed();

        var source = Path.GetFullPath(configPath);
        var config = AlgoPerfConfig.Load(source);
        var settings = BenchmarkSettings.FromConfig(config, source, Environment.CurrentDirectory).WithCommandLine(runDirOverride, trainersOverride, threadsOverride);
        var backoff = RestartBackoff.FromConfig(config, source);

        var journal = JournalStore.FromConfig(config, source, settings.RunDirectory, journalOverride);
        return await BenchmarkRun.ExecuteAsync(settings, config, journal, backoff, display, context, cancellationToken).ConfigureAwait(false);
    }
}
