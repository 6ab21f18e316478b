using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Trainer.Checkpoints;
using AlgoPerf.Trainer.Distributed;
using AlgoPerf.Trainer.Logging;
using AlgoPerf.Trainer.Models;
using AlgoPerf.Trainer.Submissions;
using AlgoPerf.Trainer.Timing;
using AlgoPerf.Trainer.Workloads;
using Microsoft.Extensions.Logging;

namespace AlgoPerf.Trainer.Running;

/// <summary>
/// Runs one trial as the reference's <c>train_once</c> does: input pipeline, model and optimizer state are built
/// (or restored from the trial's latest usable checkpoint) before the clock starts; the <see cref="TimedLoop{TBatch}"/>
/// then drives the submission (data selection, update, prepare-for-eval: timed) and the workload's eval, logging
/// and checkpoints (untimed); the trial's AlgoPerf files are written through <see cref="TrialRecorder"/>.
/// </summary>
/// <remarks>
/// <para>Every libtorch call of a trial happens on the thread that calls <see cref="Run"/> (dispose scopes and grad
/// mode are per thread): the CLI's thread, or the trainer actor's dedicated trial thread. A runner instance holds no
/// per-trial state and may run trials one after another.</para>
/// <para>Checkpoints (<see cref="CheckpointStore"/>) hold the model's parameters and buffers, the optimizer state
/// (<see cref="IOptimizerState.Save"/>), libtorch's default generator, the input position, the clock's
/// <c>train_state</c> and step, and the eval history; per-step randomness comes from <see cref="StepSeeds"/>, a pure
/// function of the trial seed and the step, so nothing else needs saving. A resumed trial is bit-identical to an
/// uninterrupted one on the same machine and thread count (given the same eval steps).</para>
/// <para>A data-parallel trial runs as one call of <see cref="Run"/> per rank of its gang, each on its own thread (or
/// process), with the rank's <see cref="IGradientReducer"/>: every rank builds or restores the same model, trains on
/// its shard of each global batch and averages gradients through <c>WorkloadModel.Backward</c>; the clock's
/// readings and the loop's decisions are the gang's; evals are sharded and reduced. Rank 0 alone writes the trial's
/// files (<c>hparams.json</c>, logs, checkpoints) and its observer speaks for the trial; every rank restores from rank
/// 0's checkpoints. A rank that dies or hangs makes the others throw <see cref="GangFailedException"/> from here.</para>
/// </remarks>
public sealed partial class TrialRunner
{
    private static readonly ITrialObserver s_noObserver = new NoObserver();
    private readonly TrialRunnerOptions _options;

    /// <summary>Creates a runner.</summary>
    public TrialRunner(TrialRunnerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validate();

        // Trials reuse freed activation memory instead of page-faulting it in every step (process-wide, idempotent),
        // the allocator setting 'bench step' measures with.
        TorchAllocator.KeepFreedMemory();
    }

    /// <summary>The options.</summary>
    public TrialRunnerOptions Options => _options;

    /// <summary>
    /// Runs (or resumes) a trial to its end and returns how it ended. Submission failures, divergence and
    /// cancellation are outcomes, not exceptions.
    /// </summary>
    /// <param name="workload">The workload (its name must be the trial's).</param>
    /// <param name="submission">The submission.</param>
    /// <param name="request">Trial id, hyperparameters, seed, clock.</param>
    /// <param name="observer">Progress callbacks (on this thread); null for none.</param>
    /// <param name="control">Cancel / stop-early from another thread; null for none.</param>
    /// <param name="gang">This rank's end of the trial's data-parallel gang; null on one device.</param>
    /// <exception cref="ArgumentException">The workload does not match the trial, the submission has no batch size for it, or the batch does not divide by the gang's ranks.</exception>
    /// <exception cref="GangFailedException">Another rank of the gang died or hangs: the trial is not over, and resumes from its checkpoint on a new gang.</exception>
    /// <exception cref="IOException">The trial directory cannot be written.</exception>
    /// <exception cref="InvalidDataException">An existing <c>hparams.json</c> or CSV is malformed.</exception>
    public TrialRunResult Run(Workload workload, ISubmission submission, TrialRequest request, ITrialObserver? observer = null, TrialControl? control = null, IGradientReducer? gang = null)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentNullException.ThrowIfNull(request);
        if (workload.Name != request.Trial.Workload)
        {
            throw new ArgumentException($"trial {request.Trial} is for workload '{request.Trial.Workload}', not '{workload.Name}'", nameof(workload));
        }

        observer ??= s_noObserver;
        var log = _options.Logger;
        if (_options.IntraOpThreads is int threads)
        {
            torch.set_num_threads(threads);
        }

        var trial = request.Trial;

        // A gang of one is one device: nothing to agree on, nothing to average.
        gang = gang is { WorldSize: > 1 } ? gang : null;
        var ranks = gang?.WorldSize ?? 1;
        var lead = gang is null || gang.Rank == 0;
        var batchSize = BatchSize(submission, workload);
        if (batchSize % ranks != 0)
        {
            throw new ArgumentException($"trial {trial}: the submission's batch size {batchSize} for '{workload.Name}' does not divide by the gang's {ranks} ranks; data-parallel training splits every global batch into equal shards, as the reference requires");
        }

        var directory = TrialLogLayout.TrialDirectory(_options.RunDirectory, trial.Submission, trial.Study, trial.Workload, trial.Trial);
        Directory.CreateDirectory(directory);
        var seeds = TrialSeeds.From(request.Seed);

        // hparams.json first: when it exists (a resumed or repeated trial), its values are the ones trained with. In a
        // gang rank 0 writes or reads it, and the other ranks take its values.
        IReadOnlyList<KeyValuePair<string, LogValue>>? requested = request.Hyperparameters is null
            ? null
            : [.. request.Hyperparameters.Select(h => KeyValuePair.Create(h.Key, LogValue.Of(h.Value)))];
        var hparamsLog = requested is not null && lead ? HparamsFile.WriteOrLoad(directory, requested) : requested;
        var hyperparameters = hparamsLog is null
            ? null
            : new Hyperparameters(GangValues(gang, hparamsLog.Select(h => KeyValuePair.Create(h.Key, h.Value.AsDouble))), Path.Combine(directory, HparamsFile.FileName));

        var store = new CheckpointStore(directory, _options.CheckpointsKept);
        var rejected = new List<string>();
        var (trialState, resumed) = BuildOrRestore(workload, submission, hyperparameters, batchSize, seeds, request, store, observer, rejected, gang);
        try
        {
            var resumedFrom = resumed?.GlobalStep ?? 0;
            if (gang is not null)
            {
                JoinGang(trialState.Model, gang, trial, resumedFrom);
            }

            var preemption = Math.Max(resumed is null ? 0 : resumed.PreemptionCount + 1, CountMetaDataFiles(directory));
            var recorder = lead
                ? TrialRecorder.Start(directory, hparamsLog, WorkloadProperties(workload), _options.System ?? SystemInfo.Probe(), unchecked((long)request.Seed), preemption)
                : null;
            if (resumed is not null)
            {
                log.LogInformation("trial {Trial}: resumed from step {Step} (preemption {Preemption})", trial, resumedFrom, preemption);
            }

            observer.Started(preemption, resumedFrom);
            var session = new Session(this, workload, submission, hyperparameters, request, trialState, store, recorder, observer, preemption, resumed?.EvalHistory, gang);
            var outcome = session.Run(resumed, control?.Token ?? CancellationToken.None);

            // A trial resumed from the checkpoint of its own end (the tuner resends RunTrial after a recovery) ends at
            // once; the restored clock does not know the step limit was why, so say it again.
            if (resumed is { TrainState.ShouldContinue: false } && outcome.Reason == LoopEndReason.TrainingComplete
                && request.Clock.MaxGlobalSteps == outcome.GlobalStep)
            {
                outcome = outcome with { Reason = LoopEndReason.MaxSteps };
            }

            var stoppedEarly = outcome.Reason == LoopEndReason.Cancelled && control is { StoppedEarly: true };
            if (stoppedEarly)
            {
                outcome = outcome with { Reason = LoopEndReason.StoppedEarly };
            }

            if (outcome.Reason == LoopEndReason.Cancelled)
            {
                if (_options.CheckpointOnCancel && !session.StepInProgress && lead)
                {
                    session.SaveCheckpoint(outcome.GlobalStep, outcome.FinalState, outcome.EvalResults);
                }
            }
            else
            {
                recorder?.Finish(outcome);
            }

            log.LogInformation("trial {Trial}: {Reason} at step {Step}, score {Score:F3} s, {Evals} evals", trial, outcome.Reason.ToWire(), outcome.GlobalStep, outcome.Score, outcome.EvalResults.Count);
            return new TrialRunResult(outcome, directory, preemption, resumedFrom, stoppedEarly, session.Checkpoints, rejected);
        }
        finally
        {
            trialState.Dispose();
        }
    }

    /// <summary>The entries of <c>meta_data_N.json</c> a workload contributes (the reference's primitive properties).</summary>
    public static IReadOnlyList<KeyValuePair<string, LogValue>> WorkloadProperties(Workload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return
        [
            new("eval_batch_size", workload.EvalBatchSize),
            new("eval_period_time_sec", workload.EvalPeriodTimeSec),
            new("max_allowed_runtime_sec", workload.MaxAllowedRuntimeSec),
            new("num_eval_train_examples", workload.NumEvalTrainExamples),
            new("num_test_examples", workload.NumTestExamples),
            new("num_train_examples", workload.NumTrainExamples),
            new("num_validation_examples", workload.NumValidationExamples),
            new("step_hint", workload.StepHint),
            new("target_metric_name", workload.TargetMetricName),
            new("test_target_value", workload.TestTargetValue),
            new("validation_target_value", workload.ValidationTargetValue),
        ];
    }

    /// <summary>
    /// The submission's batch size for the workload; for a variant whose name the submission does not know, the base
    /// workload's (the reference retries with the base name on <c>ValueError</c>).
    /// </summary>
    public static int BatchSize(ISubmission submission, Workload workload)
    {
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentNullException.ThrowIfNull(workload);
        int size;
        try
        {
            size = submission.GetBatchSize(workload.Name);
        }
        catch (ArgumentException) when (workload.Spec.BaseName is not null)
        {
            size = submission.GetBatchSize(workload.Spec.BaseName);
        }

        return size > 0 ? size : throw new ArgumentException($"the submission's batch size for '{workload.Name}' is {size}; it must be positive");
    }

    private static int CountMetaDataFiles(string directory) =>
        Directory.EnumerateFiles(directory, "meta_data_*.json").Count();

    private (TrialObjects State, CheckpointHeader? Resumed) BuildOrRestore(
        Workload workload,
        ISubmission submission,
        Hyperparameters? hyperparameters,
        int batchSize,
        TrialSeeds seeds,
        TrialRequest request,
        CheckpointStore store,
        ITrialObserver observer,
        List<string> rejected,
        IGradientReducer? gang)
    {
        var rank = gang?.Rank ?? 0;
        var ranks = gang?.WorldSize ?? 1;
        var candidates = _options.Resume ? store.List() : [];
        foreach (var (_, path) in candidates)
        {
            TrialObjects? state = null;
            try
            {
                using var checkpoint = CheckpointStore.Load(path);
                Check(checkpoint, request);
                state = TrialObjects.Build(workload, submission, hyperparameters, batchSize, seeds, rank, ranks);
                state.Restore(checkpoint);
                return (state, checkpoint.Header);
            }
            catch (Exception e) when (e is TensorFileCorruptException or InvalidDataException)
            {
                state?.Dispose();
                _options.Logger.LogError(e, "trial {Trial}: checkpoint '{Path}' is unusable, trying an older one: {Message}", request.Trial, path, e.Message);
                observer.CheckpointRejected(path, e);
                rejected.Add($"{path}: {e.Message}");
                if (rank == 0)
                {
                    // Rank 0 owns the trial's files; the other ranks of a gang skip the file as it does.
                    CheckpointStore.Quarantine(path);
                }
            }
        }

        if (rejected.Count > 0)
        {
            _options.Logger.LogError("trial {Trial}: no usable checkpoint among {Count}; starting from step 0", request.Trial, rejected.Count);
        }

        return (TrialObjects.Build(workload, submission, hyperparameters, batchSize, seeds, rank, ranks), null);
    }

    /// <summary>Rank 0's values of <paramref name="values"/> on every rank of a gang (the others pass theirs, which are replaced).</summary>
    private static List<KeyValuePair<string, double>> GangValues(IGradientReducer? gang, IEnumerable<KeyValuePair<string, double>> values)
    {
        var list = values.ToList();
        if (gang is null)
        {
            return list;
        }

        var agreed = list.Select(v => gang.Rank == 0 ? v.Value : 0).ToArray();
        gang.AllReduce(agreed, ReduceOp.Sum);
        return [.. list.Select((v, i) => KeyValuePair.Create(v.Key, agreed[i]))];
    }

    /// <summary>
    /// Makes the model a gang's (DDP's wrapping): the ranks check that they restored the same step, then take rank 0's
    /// parameters and buffers.
    /// </summary>
    private static void JoinGang(WorkloadModel model, IGradientReducer gang, TrialId trial, long resumedFrom)
    {
        model.Gang = gang;
        Span<double> steps = [resumedFrom, -resumedFrom];
        gang.AllReduce(steps, ReduceOp.Max);
        if (steps[0] != -steps[1])
        {
            throw new GangFailedException($"trial {trial}: the ranks of the gang restored different checkpoints (steps {-steps[1]} to {steps[0]}); rank {gang.Rank} restored step {resumedFrom}");
        }

        model.BroadcastState();
    }

    private static void Check(LoadedCheckpoint checkpoint, TrialRequest request)
    {
        var h = checkpoint.Header;
        if (h.Workload != request.Trial.Workload)
        {
            throw new TensorFileCorruptException(checkpoint.Path, "metadata.workload", $"'{h.Workload}' is not this trial's workload '{request.Trial.Workload}'");
        }

        if (h.Submission != request.Trial.Submission)
        {
            throw new TensorFileCorruptException(checkpoint.Path, "metadata.submission", $"'{h.Submission}' is not this trial's submission '{request.Trial.Submission}'");
        }

        if (h.Seed != request.Seed)
        {
            throw new TensorFileCorruptException(checkpoint.Path, "metadata.seed", string.Create(CultureInfo.InvariantCulture, $"{h.Seed} is not this trial's seed {request.Seed}"));
        }
    }

    private sealed class NoObserver : ITrialObserver
    {
    }
}
