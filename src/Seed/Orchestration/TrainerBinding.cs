using System.Globalization;
using Akka.Actor;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Contracts.Rules;
using TorchSharp;
using static TorchSharp.torch;
using AlgoPerf.Trainer.Actors;
using AlgoPerf.Trainer.Data;
using AlgoPerf.Trainer.Running;
using AlgoPerf.Trainer.Submissions;
using AlgoPerf.Trainer.Workloads;
using AlgoPerf.Tuner.Plans;
using AlgoPerf.Tuner.SearchSpaces;
using Microsoft.Extensions.Logging;

namespace AlgoPerf.Seed.Orchestration;

/// <summary>A submission of a run: its reference in the configuration, the name it is logged under, its search space.</summary>
/// <param name="Reference">Built-in name or <c>path.dll:Namespace.Type</c>.</param>
/// <param name="Name">The name in trial ids and log directories.</param>
/// <param name="Space">The search space the tuner samples (null under self-tuning).</param>
public sealed record RunSubmission(string Reference, string Name, SearchSpace? Space);

/// <summary>How the all-in-one run binds the trainer side: submissions, workloads, trainer actors and their protocol.</summary>
public static class TrainerBinding
{
    /// <summary>The directory of the AlgoPerf-format trial logs (and checkpoints) of a run.</summary>
    public static string LogDirectory(BenchmarkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Path.Combine(settings.RunDirectory, "logs");
    }

    /// <summary>
    /// Loads every submission of the run and its search space (the configuration's replacement or the submission's
    /// own), so a bad reference or space stops the run before anything is stored.
    /// </summary>
    /// <exception cref="InvalidDataException">An unknown or unloadable submission, a missing or invalid search space.</exception>
    public static IReadOnlyDictionary<string, RunSubmission> ResolveSubmissions(BenchmarkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var resolved = new Dictionary<string, RunSubmission>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var reference in settings.Submissions)
        {
            ResolvedSubmission submission;
            try
            {
                submission = SubmissionRegistry.Resolve(reference);
            }
            catch (SubmissionLoadException e)
            {
                throw new InvalidDataException($"algoperf.benchmark.submissions: {e.Message}", e);
            }

            var name = BenchmarkActor.SubmissionName(reference);
            if (!names.Add(name))
            {
                throw new InvalidDataException($"algoperf.benchmark.submissions: two submissions are named '{name}'");
            }

            SearchSpace? space = null;
            if (settings.Ruleset == Ruleset.ExternalTuning)
            {
                space = settings.SearchSpaces.TryGetValue(reference, out var file) ? SearchSpaceReader.ReadFile(file)
                    : submission.SearchSpaceJson is { } json ? SearchSpaceReader.Parse(json, submission.SearchSpaceSource ?? reference)
                    : throw new InvalidDataException(
                        $"algoperf.benchmark.search-spaces: submission '{reference}' has no search space of its own; give one as search-spaces {{ \"{reference}\" = path/to/tuning_search_space.json }}");
            }

            resolved[reference] = new RunSubmission(reference, name, space);
        }

        return resolved;
    }

    /// <summary>
    /// Checks that trials can run here at all: TorchSharp's native libraries load and every workload's data is installed.
    /// </summary>
    /// <exception cref="IOException">The native libraries or a dataset is missing (names it and how to install it).</exception>
    public static void CheckMachine(BenchmarkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        TorchEnvironment.EnsureLoaded();

        foreach (var workload in settings.Workloads)
        {
            var (directory, package) = DevSuite.Family(workload) switch
            {
                "lm_transformer" => (FortuneCorpus.DefaultDirectory, "fortunes"),
                "dlrm_synth" => ((string?)null, (string?)null),
                _ => (FashionMnist.DefaultDirectory, "dataset-fashion-mnist"),
            };
            if (directory is not null && !Directory.Exists(directory))
            {
                throw new IOException($"workload {workload}: its data directory {directory} is missing; install the Debian package {package} (scripts/bootstrap.sh does)");
            }
        }
    }

    /// <summary>
    /// The trainers' devices: with <c>device = cuda</c> and CUDA devices visible to LibTorch, one per device
    /// (<c>cuda:0</c>, <c>cuda:1</c>, ...); otherwise <see cref="BenchmarkSettings.Trainers"/> CPU trainers (<c>cpu</c>,
    /// or <c>cpu:0</c>, <c>cpu:1</c>, ... when there are several), with a warning when CUDA was asked for.
    /// </summary>
    public static IReadOnlyList<string> Devices(BenchmarkSettings settings, int cudaDevices, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logger);
        if (settings.Device == "cuda")
        {
            if (cudaDevices > 0)
            {
                return [.. Enumerable.Range(0, cudaDevices).Select(i => string.Create(CultureInfo.InvariantCulture, $"cuda:{i}"))];
            }

            logger.LogWarning("device = cuda, but LibTorch sees no CUDA device (a CPU build of TorchSharp, or no GPU): {Trainers} trainer(s) on the CPU", settings.Trainers);
        }

        return settings.Trainers == 1
            ? ["cpu"]
            : [.. Enumerable.Range(0, settings.Trainers).Select(i => string.Create(CultureInfo.InvariantCulture, $"cpu:{i}"))];
    }

    /// <summary>One trainer actor per device (<see cref="Devices"/>), each on its dedicated thread.</summary>
    public static IReadOnlyList<IActorRef> CreateTrainers(
        IActorRefFactory system,
        BenchmarkSettings settings,
        IReadOnlyDictionary<string, RunSubmission> submissions,
        TimeProvider time,
        ILogger logger,
        string gangHost = "127.0.0.1",
        TimeSpan? redeliverEvery = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(submissions);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        var byName = submissions.Values.ToDictionary(s => s.Name, s => s.Reference, StringComparer.Ordinal);
        var trainers = new List<IActorRef>();
        var devices = Devices(settings, TorchEnvironment.CudaDevices, logger);
        for (var i = 0; i < devices.Count; i++)
        {
            var device = devices[i];
            var torchDevice = device.StartsWith("cuda", StringComparison.Ordinal) ? new Device(device) : CPU;
            // Each trainer loads a workload once, on its own trial thread, so no tensor is shared between threads.
            var workloads = new Dictionary<string, Workload>(StringComparer.Ordinal);
            var trainerSettings = new TrainerSettings
            {
                Device = device,
                GangHost = gangHost,
                RedeliverEvery = redeliverEvery ?? TimeSpan.FromSeconds(5),
                Rules = settings.Rules,
                Runner = new TrialRunnerOptions
                {
                    RunDirectory = LogDirectory(settings),
                    IntraOpThreads = settings.ThreadsPerTrainer,
                    CheckpointEveryEvals = settings.CheckpointEveryEvals,
                    Time = time,
                    Logger = logger,
                },
                // Targets, budget and eval period are those of the run's rules version.
                Workloads = name => workloads.TryGetValue(name, out var w) ? w : workloads[name] = DevSuite.Load(name, spec: settings.Rules.Workload(name)).On(torchDevice),
                Submissions = name => SubmissionRegistry.Resolve(
                    byName.TryGetValue(name, out var reference) ? reference : throw new ArgumentException($"submission '{name}' is not part of this run", nameof(name))).Submission,
            };
            trainers.Add(system.ActorOf(TrainerActor.Props(trainerSettings), $"trainer-{i}"));
        }

        return trainers;
    }

    /// <summary>
    /// Makes coordinated shutdown (the end of a run, Ctrl-C, SIGTERM, a downed cluster node) pause the trainers' trials at
    /// their next step with a checkpoint before the actor system goes, so they resume from there.
    /// </summary>
    public static void DrainOnShutdown(ActorSystem system, IReadOnlyList<IActorRef> trainers)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(trainers);
        var shutdown = CoordinatedShutdown.Get(system);
        var drainTimeout = shutdown.Timeout(CoordinatedShutdown.PhaseServiceRequestsDone);
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceRequestsDone, "drain-trainers", async () =>
        {
            // A trainer that has stopped (it would never answer) counts as drained.
            await Task.WhenAll(trainers.Select(t => Task.WhenAny(t.Ask<TrainerDrained>(DrainTrainer.Instance, drainTimeout), t.WatchAsync()))).ConfigureAwait(false);
            return Akka.Done.Instance;
        });
    }

    /// <summary>The message that makes a trainer run a planned trial (<see cref="StartTrial"/>) as the given attempt, as one rank of its gang when it has one.</summary>
    public static Func<PlannedTrial, GangAssignment?, int, object> RunMessage(BenchmarkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var selfTuning = settings.Ruleset == Ruleset.SelfTuning;
        return (p, gang, attempt) => new StartTrial(p.Trial, selfTuning ? null : p.Hyperparameters.Values, p.Seed, p.BudgetSec, gang, attempt);
    }

    /// <summary>
    /// The gangs' settings for this host: an <c>auto</c> reducer is NCCL where the trainers own CUDA devices, else the
    /// scheduler's choice (in-process within a process, Gloo across).
    /// </summary>
    public static GangSettings Gangs(BenchmarkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var cuda = settings.Device == "cuda" && TorchEnvironment.CudaDevices > 0;
        return settings.Gangs.Reducer is null && cuda ? settings.Gangs with { Reducer = GangReducers.Nccl } : settings.Gangs;
    }

    /// <summary>The message that ends a trial for good because its study no longer needs it.</summary>
    public static object CancelMessage(TrialId trial) => new StopTrialEarly(trial);
}
