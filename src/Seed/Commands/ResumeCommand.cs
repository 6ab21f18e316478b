using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Contracts.Persistence;
using AlgoPerf.Seed.Cli;
using AlgoPerf.Seed.Monitoring;
using AlgoPerf.Seed.Orchestration;

namespace AlgoPerf.Seed.Commands;

/// <summary>
/// <c>algoperf resume RUN_DIR [--trainers N] [--threads T] [--journal CONNECTION]</c> and the display options of
/// <c>run</c>: continues a run from its own <c>benchmark.json</c> (the benchmark, its rules, and how its last start ran
/// it), without the configuration file it was started from. Finished trials are not re-run; open ones resume from
/// their latest checkpoint.
/// </summary>
internal sealed class ResumeCommand : ICommand
{
    public string Name => "resume";

    public string Summary => "continue a run from its own benchmark.json";

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        if (args.Positionals.Count != 1)
        {
            throw new UsageException($"usage: resume RUN_DIR [--trainers N] [--threads T] [--journal POSTGRES-CONNECTION] {RunCommand.DisplayUsage}");
        }

        var trainers = args.GetInt("trainers");
        var threads = args.GetInt("threads");
        var journalOverride = args.Get("journal") ?? Environment.GetEnvironmentVariable(JournalStore.ConnectionVariable);
        var display = RunDisplay.FromArgs(args, context);
        args.EnsureAllUsed();

        var settings = RunManifest.Read(args.Positionals[0]).WithCommandLine(null, trainers, threads);

        var config = AlgoPerfConfig.Reference;
        var journal = RunReader.Journal(settings.RunDirectory, journalOverride);
        return await BenchmarkRun.ExecuteAsync(settings, config, journal, RestartBackoff.FromConfig(config, "reference.conf"), display, context, cancellationToken).ConfigureAwait(false);
    }
}
