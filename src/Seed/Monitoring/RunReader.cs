using Akka.Actor;
using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Contracts.Persistence;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Contracts.Scoring;
using AlgoPerf.Scorer.Actors;
using AlgoPerf.Scorer.Input;
using AlgoPerf.Scorer.Live;
using AlgoPerf.Scorer.Model;
using AlgoPerf.Seed.Orchestration;

namespace AlgoPerf.Seed.Monitoring;

/// <summary>A run directory as the read side knows it: its name and what its live scorer needs, from its own files.</summary>
/// <param name="Name">The benchmark's name.</param>
/// <param name="Directory">The run directory (absolute).</param>
/// <param name="Setup">Ruleset, targets, scored workloads, studies, trials and submissions, with the run's workloads.</param>
public sealed record RunDescription(string Name, string Directory, LiveScoringSetup Setup)
{
    /// <summary>
    /// Reads <c>benchmark.json</c> and <c>workload_targets.json</c> of <paramref name="runDirectory"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">Not a run directory, or a file is unreadable (names the file and field).</exception>
    public static RunDescription Load(string runDirectory)
    {
        var (dir, manifestPath, manifest) = RunManifest.Load(runDirectory);
        var targets = WorkloadTargets.Load(Path.Combine(dir, RunManifest.TargetsFileName));
        try
        {
            var setup = new LiveScoringSetup(
                RunManifest.Member<Ruleset>(manifest, "ruleset").ToWire(),
                targets,
                new ScoringOptions(targets.BaseWorkloads, targets.HeldOutWorkloads, RunManifest.Member<StudySelectionRule>(manifest, "selection")),
                RunManifest.Field<int>(manifest["studies"], "studies"),
                RunManifest.Field<int>(manifest["trials_per_study"], "trials_per_study"),
                RunManifest.Names(manifest, "submissions"))
            {
                RunWorkloads = RunManifest.Names(manifest, "workloads"),
            };
            return new RunDescription(RunManifest.Field<string>(manifest["name"], "name"), dir, setup);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{manifestPath}: {e.Message}", e);
        }
    }
}

/// <summary>
/// Reads a run's journal without writing to it (<see cref="JournalStore.ToReadOnlyConfig"/>) through the live scorer's
/// own projection: one actor system with a <see cref="ScorerActor"/>, asked for a <see cref="RunView"/> once it has read
/// every stored event.
/// </summary>
public static class RunReader
{
    /// <summary>The journal of the run in <paramref name="runDirectory"/>: <paramref name="connection"/> (PostgreSQL) or the directory's <c>journal.db</c>.</summary>
    /// <exception cref="InvalidDataException">No journal.db and no connection.</exception>
    public static JournalStore Journal(string runDirectory, string? connection)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        if (!string.IsNullOrWhiteSpace(connection))
        {
            return JournalStore.Postgres(connection);
        }

        var file = Path.Combine(runDirectory, "journal.db");
        return File.Exists(file) ? JournalStore.Sqlite(file)
            : throw new InvalidDataException($"{runDirectory}: no journal.db (a run with a PostgreSQL journal: give --journal CONNECTION)");
    }

    /// <summary>An actor system whose journal plugins read <paramref name="journal"/> and never write to it (no tables created, SQLite read-only), quiet below warnings.</summary>
    public static ActorSystem ReadOnlySystem(JournalStore journal, string name)
    {
        ArgumentNullException.ThrowIfNull(journal);
        var config = journal.ToReadOnlyConfig()
            .WithFallback(Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.log-dead-letters = off"))
            .WithFallback(AlgoPerfConfig.Reference);
        return ActorSystem.Create(name, config);
    }

    /// <summary>The run as its journal holds it now; <paramref name="live"/> when a process is running it.</summary>
    public static async Task<RunView> ReadAsync(RunDescription run, JournalStore journal, TimeProvider time, bool live, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(time);
        var system = ReadOnlySystem(journal, "algoperf-status");
        try
        {
            var scorer = system.ActorOf(ScorerActor.Props(run.Setup), "scorer");
            return await scorer.Ask<RunView>(new GetRunView(time.GetUtcNow(), live), TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }
}
