using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Contracts.Rules;
using TorchSharp;
using static TorchSharp.torch;
using AlgoPerf.Trainer.Checkpoints;
using AlgoPerf.Trainer.Logging;
using AlgoPerf.Trainer.Running;
using AlgoPerf.Trainer.Submissions;
using AlgoPerf.Trainer.Timing;
using AlgoPerf.Trainer.Workloads;
using AlgoPerf.Tuner.Halton;
using AlgoPerf.Tuner.SearchSpaces;

namespace AlgoPerf.Seed.Targets;

/// <summary>How a target-setting run is made (<c>./algoperf targets run</c>).</summary>
/// <param name="Workload">The dev-suite workload.</param>
/// <param name="RunDirectory">Tuning trials go under <c>tune/</c>, reruns under <c>rerun/</c>, the memory trace to <c>memory.jsonl</c>.</param>
/// <param name="Algorithms">The built-in baselines tuned (AlgoPerf: adamw, nadamw, nesterov, momentum).</param>
/// <param name="Trials">Quasi-random trials per algorithm (the reference policy's points for a study of this size).</param>
/// <param name="Reruns">Reruns of the selected configuration (studies 1..R, each its own seed).</param>
/// <param name="EvalPeriodSec">The runs' eval period; null: the workload's.</param>
/// <param name="Threads">libtorch intra-op threads; null leaves libtorch's default.</param>
/// <param name="CheckpointEveryEvals">Checkpoint cadence (an interrupted trial resumes from its last checkpoint).</param>
/// <param name="MaxSteps">Step limit; null: the schedule's <c>int(0.75 · step_hint)</c>.</param>
/// <param name="SearchSpaces">Search-space files by algorithm name, replacing the built-in ones (e.g. NAdamW's archived paper space).</param>
internal sealed record TargetSettingOptions(
    string Workload,
    string RunDirectory,
    IReadOnlyList<string> Algorithms,
    int Trials,
    int Reruns,
    double? EvalPeriodSec,
    int? Threads,
    int CheckpointEveryEvals,
    long? MaxSteps,
    IReadOnlyDictionary<string, string> SearchSpaces)
{
    /// <summary>Where the tuning trials are written.</summary>
    public string TuneDirectory => Path.Combine(RunDirectory, "tune");

    /// <summary>Where the reruns are written.</summary>
    public string RerunDirectory => Path.Combine(RunDirectory, "rerun");

    /// <summary>One JSON line per trial: live tensor handles and resident memory at its start, its evals and its end.</summary>
    public string MemoryTraceFile => Path.Combine(RunDirectory, "memory.jsonl");
}

/// <summary>
/// Steps 2 to 6 of the dev suite's target-setting procedure (docs/targets.md) in one process: tune each algorithm on
/// its built-in search space with the target-setting schedule (<see cref="TargetSetting.Spec"/>), select the best
/// configuration, rerun it, derive the targets. Every trial is an ordinary trial of <see cref="TrialRunner"/> with its
/// AlgoPerf files, so an interrupted run resumes where it stopped and <c>targets derive</c> can read it at any time;
/// each finished trial is recorded in <c>trials.jsonl</c> (<see cref="TrialLedger"/>), which is what marks it done.
/// </summary>
internal sealed class TargetSettingRun
{
    /// <summary>Where <see cref="SetAsideUnfinishedAttempt"/> moves an unfinished attempt's logs (with its number, from 1).</summary>
    internal const string UnfinishedAttemptPrefix = "unfinished_attempt_";

    private readonly TargetSettingOptions _options;
    private readonly TimeProvider _time;
    private readonly TextWriter _progress;
    private readonly TrialLedger _ledger;

    public TargetSettingRun(TargetSettingOptions options, TimeProvider time, TextWriter progress)
    {
        _options = options;
        _time = time;
        _progress = progress;
        _ledger = new TrialLedger(options.RunDirectory);
    }

    /// <summary>Runs (or resumes) every trial and returns the derivation.</summary>
    public DerivedTargets Run(CancellationToken cancellationToken)
    {
        var (spec, workload, clock, submissions) = Prepare();
        Tune(workload, clock, submissions, 1, 1, cancellationToken);
        var names = submissions.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var tuning = TrialCurve.ReadAll(_options.TuneDirectory, spec)
            .Where(c => names.Contains(c.Submission) && c.Study == 0 && c.Trial <= _options.Trials).ToList();
        var selected = TargetDerivation.SelectBest(tuning, spec);
        _progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"selected {selected.Submission} trial {selected.Trial}: best {spec.ValidationMetricKey} {selected.BestValidation(spec.Direction):G6} of {tuning.Count} trials"));

        var hyperparameters = Commands.HparamsReader.Read(Path.Combine(selected.Directory, "hparams.json"));
        var rerunner = Runner(_options.RerunDirectory);
        var rerunSubmission = submissions.Single(s => s.Name == selected.Submission).Submission;
        for (var r = 1; r <= _options.Reruns; r++)
        {
            var trial = new TrialId(selected.Submission, spec.Name, r, selected.Trial);
            RunTrial(rerunner, workload, rerunSubmission, new TrialRequest(trial, hyperparameters, AlgoPerf.Tuner.Plans.TrialSeeds.Trial(0, trial), clock), "rerun", cancellationToken);
        }

        // The selection the reruns were made for: this run's algorithms and trials, even when the directory holds others.
        return Derive(_options.RunDirectory, spec, tuning, _options.Reruns);
    }

    /// <summary>
    /// Step 2 only, for shard <paramref name="shard"/> of <paramref name="shards"/>: the tuning trials whose position in
    /// the run's order (algorithm by algorithm, trial by trial) is <paramref name="shard"/> modulo <paramref name="shards"/>.
    /// Shards run as separate processes on the same run directory (each with its share of the cores) write disjoint
    /// trials; a <see cref="Run"/> afterwards finds them finished and goes on to select and rerun.
    /// </summary>
    /// <returns>The number of tuning trials this shard ran or found finished.</returns>
    public int Tune(int shard, int shards, CancellationToken cancellationToken)
    {
        var (_, workload, clock, submissions) = Prepare();
        return Tune(workload, clock, submissions, shard, shards, cancellationToken);
    }

    private (WorkloadSpec Spec, Workload Workload, ClockSettings Clock, List<ResolvedSubmission> Submissions) Prepare()
    {
        var spec = DevSuiteSpecs.Get(_options.Workload);
        var runSpec = TargetSetting.Spec(spec, _options.EvalPeriodSec);
        var workload = DevSuite.Load(spec.Name, spec: runSpec);
        var clock = ClockSettings.For(RulesVersions.Get("v0.6"), runSpec, Ruleset.ExternalTuning, _options.MaxSteps ?? runSpec.StepHint);
        _progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"target setting for {spec.Name}: schedule over {runSpec.StepHint} steps (0.75 x step_hint {spec.StepHint}), step limit {clock.MaxGlobalSteps}, no budget, eval every {runSpec.EvalPeriodSec} s, targets unreachable"));
        return (spec, workload, clock, _options.Algorithms.Select(Resolve).ToList());
    }

    private int Tune(Workload workload, ClockSettings clock, IReadOnlyList<ResolvedSubmission> submissions, int shard, int shards, CancellationToken cancellationToken)
    {
        var tuner = Runner(_options.TuneDirectory);
        var position = 0;
        var ran = 0;
        foreach (var submission in submissions)
        {
            var space = _options.SearchSpaces.TryGetValue(submission.Name, out var file)
                ? SearchSpaceReader.ReadFile(file)
                : SearchSpaceReader.Parse(
                    submission.SearchSpaceJson ?? throw new ArgumentException($"submission '{submission.Name}' has no built-in search space"),
                    submission.SearchSpaceSource ?? submission.Name);
            var points = HaltonSearch.Generate(space, _options.Trials, 0);
            if (points.Count < _options.Trials)
            {
                // A list-format space has a fixed number of points (NAdamW's built-in one has 5): those are its trials.
                _progress.WriteLine($"{submission.Name}: its search space is a list of {points.Count} points; tuning those {points.Count}");
            }

            for (var k = 1; k <= points.Count; k++)
            {
                if (position++ % shards != shard - 1)
                {
                    continue;
                }

                var trial = new TrialId(submission.Name, workload.Spec.Name, 0, k);
                RunTrial(tuner, workload, submission.Submission, new TrialRequest(trial, points[k - 1].Values, AlgoPerf.Tuner.Plans.TrialSeeds.Trial(0, trial), clock), "tune", cancellationToken);
                ran++;
            }
        }

        return ran;
    }

    /// <summary>
    /// Steps 3, 5 and 6 over what a run directory holds: the best of every tuning trial of the workload, and the reruns
    /// (studies 1..<paramref name="reruns"/>, or all when null) of exactly that configuration.
    /// </summary>
    /// <exception cref="InvalidOperationException">No usable tuning trial, or no rerun of the selected one yet.</exception>
    public static DerivedTargets Derive(string runDirectory, WorkloadSpec spec, int? reruns)
    {
        var tuneDirectory = Path.Combine(runDirectory, "tune");
        var tuning = TrialCurve.ReadAll(tuneDirectory, spec).Where(c => c.Study == 0).ToList();
        return tuning.Count == 0
            ? throw new InvalidOperationException($"{spec.Name}: no tuning trial with an eval_measurements.csv under {tuneDirectory} (targets run writes them)")
            : Derive(runDirectory, spec, tuning, reruns);
    }

    private static DerivedTargets Derive(string runDirectory, WorkloadSpec spec, IReadOnlyList<TrialCurve> tuning, int? reruns)
    {
        var selected = TargetDerivation.SelectBest(tuning, spec);
        var rerunCurves = TrialCurve.ReadAll(Path.Combine(runDirectory, "rerun"), spec)
            .Where(c => c.Submission == selected.Submission && c.Trial == selected.Trial && c.Study >= 1 && (reruns is null || c.Study <= reruns))
            .ToList();
        if (rerunCurves.Count == 0)
        {
            throw new InvalidOperationException(
                $"{spec.Name}: no rerun of the selected configuration ({selected.Submission} trial {selected.Trial}) under {Path.Combine(runDirectory, "rerun")} yet");
        }

        return TargetDerivation.Derive(spec, tuning, selected, rerunCurves);
    }

    private static ResolvedSubmission Resolve(string name)
    {
        try
        {
            var resolved = SubmissionRegistry.Resolve(name);
            return resolved.SelfTuning
                ? throw new ArgumentException($"'{name}' is a self-tuning submission; target setting tunes external-tuning baselines")
                : resolved;
        }
        catch (SubmissionLoadException e)
        {
            throw new ArgumentException(e.Message, e);
        }
    }

    private TrialRunner Runner(string directory) => new(new TrialRunnerOptions
    {
        RunDirectory = directory,
        IntraOpThreads = _options.Threads,
        CheckpointEveryEvals = _options.CheckpointEveryEvals,
        Time = _time,
    });

    private void RunTrial(TrialRunner runner, Workload workload, ISubmission submission, TrialRequest request, string phase, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var runDirectory = phase == "tune" ? _options.TuneDirectory : _options.RerunDirectory;
        var directory = TrialLogLayout.TrialDirectory(runDirectory, request.Trial.Submission, request.Trial.Study, request.Trial.Workload, request.Trial.Trial);
        if (_ledger.Find(phase, request.Trial.ToString()) is { } done)
        {
            if (File.Exists(Path.Combine(directory, MetricsLogger.EvalMeasurementsFileName)))
            {
                _progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{phase} {request.Trial}: finished earlier ({TrialLedger.FileName}): {done.Reason} at step {done.Steps}, {done.SubmissionTimeSec:F1} s submission time, best {workload.Spec.ValidationMetricKey} {done.BestValidation:G6}"));
                return;
            }

            _progress.WriteLine($"{phase} {request.Trial}: {TrialLedger.FileName} records it finished but {directory} has no {MetricsLogger.EvalMeasurementsFileName}; running it again");
        }

        SetAsideUnfinishedAttempt(phase, request.Trial, directory);
        var memory = new MemoryTrace();
        var wall = Stopwatch.StartNew();
        using var control = new TrialControl();
        using var registration = cancellationToken.Register(control.Cancel);
        var result = runner.Run(workload, submission, request, memory, control);
        memory.Sample();
        cancellationToken.ThrowIfCancellationRequested();
        var o = result.Outcome;
        var best = TrialCurve.Best(o.EvalResults.Select(e => e.Get(workload.Spec.ValidationMetricKey)), workload.Spec.Direction);
        _progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{phase} {request.Trial}: {o.Reason.ToWire()} at step {o.GlobalStep}, {o.Score:F1} s submission time, best {workload.Spec.ValidationMetricKey} {best:G6} ({wall.Elapsed.TotalSeconds:F1} s wall)"));
        File.AppendAllText(_options.MemoryTraceFile, memory.ToJson(phase, request.Trial, result).ToJsonString() + "\n");
        _ledger.Append(new LedgerEntry(
            phase,
            request.Trial.ToString(),
            Path.GetRelativePath(_options.RunDirectory, directory).Replace(Path.DirectorySeparatorChar, '/'),
            o.Reason.ToWire(),
            o.GlobalStep,
            o.EvalResults.Count,
            o.Score,
            best,
            wall.Elapsed.TotalSeconds,
            _options.Threads,
            _time.GetUtcNow()));
    }

    /// <summary>
    /// A trial neither recorded as finished nor resumable (no checkpoint: a run directory carried in git stops a running
    /// trial there, or its checkpoints were deleted) trains from its beginning. The logs of the attempt that did not
    /// finish are moved to <c>unfinished_attempt_k/</c> in its directory first: the trial's logger appends to the files
    /// it finds (as a resumed trial must), so the new attempt's curve would otherwise carry the old one's evals, and its
    /// <c>meta_data</c> count would make it a preemption.
    /// </summary>
    private void SetAsideUnfinishedAttempt(string phase, TrialId trial, string directory)
    {
        if (!Directory.Exists(directory) || new CheckpointStore(directory, 2).List().Count > 0)
        {
            return;
        }

        var logs = Directory.EnumerateFiles(directory)
            .Where(f => Path.GetFileName(f) is MetricsLogger.EvalMeasurementsFileName or MetricsLogger.MeasurementsFileName
                || (Path.GetFileName(f).StartsWith("meta_data_", StringComparison.Ordinal) && f.EndsWith(".json", StringComparison.Ordinal)))
            .ToList();
        if (logs.Count == 0)
        {
            return;
        }

        var k = 1;
        while (Directory.Exists(Path.Combine(directory, UnfinishedAttemptPrefix + k.ToString(CultureInfo.InvariantCulture))))
        {
            k++;
        }

        var aside = Path.Combine(directory, UnfinishedAttemptPrefix + k.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(aside);
        foreach (var file in logs)
        {
            File.Move(file, Path.Combine(aside, Path.GetFileName(file)));
        }

        _progress.WriteLine($"{phase} {trial}: not finished and no checkpoint to resume from; training it from its beginning (the unfinished attempt's logs moved to {aside})");
    }

    /// <summary>
    /// Live tensor handles, resident memory and the C heap's live and kept-free bytes at a trial's start, each eval and
    /// its end. The heap tells a leak (live bytes grow) from memory the allocator keeps (free bytes grow), which resident
    /// memory alone cannot once freed memory is kept (<see cref="TorchAllocator.KeepFreedMemory"/>).
    /// </summary>
    private sealed class MemoryTrace : ITrialObserver
    {
        private readonly List<(long Handles, long Rss, NativeHeapStatistics? Heap)> _samples = [];

        public MemoryTrace() => Sample();

        public void Sample()
        {
            using var self = Process.GetCurrentProcess();
            _samples.Add((TorchEnvironment.LiveTensors, self.WorkingSet64, TorchAllocator.ReadStatistics()));
        }

        void ITrialObserver.Started(int preemptionCount, long resumedFromStep) => Sample();

        void ITrialObserver.EvalRecorded(int evalIndex, EvalRecord record) => Sample();

        void ITrialObserver.CheckpointSaved(CheckpointInfo checkpoint) => Sample();

        public JsonObject ToJson(string phase, TrialId trial, TrialRunResult result)
        {
            // [0]: before the trial; [1]: started (model, data and optimizer built); then evals and checkpoints; [^1]: after it ended.
            var during = _samples.Skip(1).Take(_samples.Count - 2).ToList();
            return new JsonObject
            {
                ["phase"] = phase,
                ["trial"] = trial.ToString(),
                ["reason"] = result.Outcome.Reason.ToWire(),
                ["steps"] = result.Outcome.GlobalStep,
                ["resumed_from_step"] = result.ResumedFromStep,
                ["evals"] = result.Outcome.EvalResults.Count,
                ["checkpoints"] = result.Checkpoints.Count,
                ["samples"] = _samples.Count,
                ["handles_before"] = _samples[0].Handles,
                ["handles_min"] = during.Count == 0 ? null : during.Min(s => s.Handles),
                ["handles_max"] = during.Count == 0 ? null : during.Max(s => s.Handles),
                ["handles_after"] = _samples[^1].Handles,
                ["rss_mb_before"] = Mb(_samples[0].Rss),
                ["rss_mb_min"] = during.Count == 0 ? null : Mb(during.Min(s => s.Rss)),
                ["rss_mb_max"] = during.Count == 0 ? null : Mb(during.Max(s => s.Rss)),
                ["rss_mb_after"] = Mb(_samples[^1].Rss),
                ["heap_in_use_mb_before"] = Mb(_samples[0].Heap?.InUseBytes),
                ["heap_in_use_mb_max"] = during.Count == 0 ? null : Mb(during.Max(s => s.Heap?.InUseBytes)),
                ["heap_in_use_mb_after"] = Mb(_samples[^1].Heap?.InUseBytes),
                ["heap_free_mb_after"] = Mb(_samples[^1].Heap?.FreeBytes),
            };
        }

        private static double Mb(long bytes) => Math.Round(bytes / 1e6, 1);

        private static double? Mb(long? bytes) => bytes is { } b ? Mb(b) : null;
    }
}
