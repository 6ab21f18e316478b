using System.Globalization;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Seed.Cli;
using AlgoPerf.Trainer.Logging;
using AlgoPerf.Trainer.Running;
using AlgoPerf.Trainer.Submissions;
using AlgoPerf.Trainer.Timing;
using AlgoPerf.Trainer.Workloads;
using AlgoPerf.Tuner.Halton;
using AlgoPerf.Tuner.SearchSpaces;
using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Seed.Commands;

/// <summary>
/// <c>./algoperf train --workload W --submission S [--hparams FILE | --search-space F --trial-index K] --run-dir D
/// [--rules v0.6] [--ruleset external_tuning|self_tuning] [--study N] [--seed N] [--max-steps N] [--threads T]
/// [--checkpoint-every N] [--no-resume]</c>: runs (or resumes) one trial on this thread and writes its
/// AlgoPerf-compatible files under <c>D/S/study_N/W_pytorch/trial_K/</c>. With <c>--trial-index K</c> the
/// hyperparameters are the K-th (1-based) Halton point of the search space (<c>tune sample</c>'s points; the
/// built-in submission's own space when <c>--search-space</c> is omitted). The default seed is the tuner's derivation
/// for the trial id under run seed 0.
/// </summary>
internal sealed class TrainCommand : ICommand
{
    public string Name => "train";

    public string Summary => "train --workload W --submission S [--hparams F | --search-space F --trial-index K] --run-dir D: one trial";

    public Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        var workloadName = args.Required("workload");
        var submissionName = args.Required("submission");
        var runDirectory = args.Required("run-dir");
        var hparamsPath = args.Get("hparams");
        var searchSpacePath = args.Get("search-space");
        var trialIndex = args.GetInt("trial-index");
        var rules = RulesVersions.Get(args.Get("rules") ?? "v0.6");
        var rulesetText = args.Get("ruleset");
        var study = args.GetInt("study") ?? 0;
        var seedOption = args.GetUInt64("seed");
        var maxSteps = args.GetInt("max-steps");
        var threads = args.GetInt("threads");
        var checkpointEvery = args.GetInt("checkpoint-every") ?? 1;
        var resume = !args.Has("no-resume");
        var deviceText = args.Get("device") ?? "cpu";
        args.EnsureAllUsed();
        var device = ParseDevice(deviceText);

        if (hparamsPath is not null && (searchSpacePath is not null || trialIndex is not null))
        {
            throw new UsageException("give either --hparams FILE or --search-space F --trial-index K, not both");
        }

        if (trialIndex is < 1 || study < 0 || maxSteps is < 1 || threads is < 1 || checkpointEvery < 0)
        {
            throw new UsageException("--trial-index, --max-steps and --threads must be at least 1; --study and --checkpoint-every at least 0");
        }

        if (searchSpacePath is not null && trialIndex is null)
        {
            throw new UsageException("--search-space needs --trial-index K");
        }

        var resolved = ResolveSubmission(submissionName);
        var ruleset = rulesetText is null
            ? (resolved.SelfTuning ? Ruleset.SelfTuning : Ruleset.ExternalTuning)
            : RulesetNames.Parse(rulesetText);
        if (!DevSuite.Names.Contains(workloadName))
        {
            throw new ArgumentException($"unknown workload '{workloadName}'; known: {string.Join(", ", DevSuite.Names)}");
        }

        IReadOnlyList<KeyValuePair<string, double>>? hyperparameters = null;
        if (ruleset == Ruleset.ExternalTuning)
        {
            hyperparameters = hparamsPath is not null ? HparamsReader.Read(hparamsPath)
                : trialIndex is int k ? HaltonPoint(searchSpacePath, resolved, k)
                : throw new UsageException("external tuning needs --hparams FILE or --trial-index K (with --search-space F for an external submission)");
        }
        else if (hparamsPath is not null || trialIndex is not null)
        {
            throw new UsageException("self_tuning trials take no hyperparameters (drop --hparams / --trial-index)");
        }

        var trial = new TrialId(resolved.Name.Contains(':', StringComparison.Ordinal) ? SafeName(resolved.Name) : resolved.Name, workloadName, study, trialIndex ?? 1);
        var seed = seedOption ?? AlgoPerf.Tuner.Plans.TrialSeeds.Trial(0, trial);
        var workload = DevSuite.Load(workloadName).On(device);
        var clock = ClockSettings.For(rules, workload.Spec, ruleset, maxSteps);
        var options = new TrialRunnerOptions
        {
            RunDirectory = runDirectory,
            IntraOpThreads = threads,
            CheckpointEveryEvals = checkpointEvery,
            Resume = resume,
            Time = context.Time,
        };
        using var control = new TrialControl();
        using var registration = cancellationToken.Register(control.Cancel);
        var result = new TrialRunner(options).Run(workload, resolved.Submission, new TrialRequest(trial, hyperparameters, seed, clock), null, control);

        var o = result.Outcome;
        var output = context.Out;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trial {trial} (seed {seed}, rules {rules.Name}, {ruleset.ToWire()}){(result.ResumedFromStep > 0 ? $", resumed from step {result.ResumedFromStep}" : string.Empty)}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ended: {o.Reason.ToWire()} at step {o.GlobalStep}, score {o.Score:F3} s, {o.EvalResults.Count} evals"));
        if (o.EvalResults.Count > 0)
        {
            var last = o.EvalResults[^1];
            var key = workload.Spec.ValidationMetricKey;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"last eval: {key} {last.Get(key):G6}, {workload.Spec.TestMetricKey} {last.Get(workload.Spec.TestMetricKey):G6}"));
        }

        if (o.Failure is { } f)
        {
            output.WriteLine($"failure in {f.Phase}: {f.ExceptionType}: {f.Message}");
        }

        if (result.Checkpoints.Count > 0)
        {
            var c = result.Checkpoints[^1];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"checkpoints: {result.Checkpoints.Count} written, last at step {c.GlobalStep}: {c.Bytes / 1e6:F2} MB in {c.Seconds:F3} s"));
        }

        foreach (var rejected in result.RejectedCheckpoints)
        {
            output.WriteLine($"checkpoint rejected: {rejected}");
        }

        output.WriteLine($"files: {result.TrialDirectory}");
        return Task.FromResult(o.Reason is LoopEndReason.Failed ? 1 : o.Reason is LoopEndReason.Cancelled ? 130 : 0);
    }

    private static ResolvedSubmission ResolveSubmission(string name)
    {
        try
        {
            return SubmissionRegistry.Resolve(name);
        }
        catch (SubmissionLoadException e)
        {
            throw new ArgumentException(e.Message, e);
        }
    }

    private static IReadOnlyList<KeyValuePair<string, double>> HaltonPoint(string? searchSpacePath, ResolvedSubmission submission, int trialIndex)
    {
        var space = searchSpacePath is not null ? SearchSpaceReader.ReadFile(searchSpacePath)
            : submission.SearchSpaceJson is { } json ? SearchSpaceReader.Parse(json, submission.SearchSpaceSource ?? submission.Name)
            : throw new UsageException($"submission '{submission.Name}' has no built-in search space; pass --search-space F");
        var points = HaltonSearch.Generate(space, trialIndex, 0);
        return points[trialIndex - 1].Values;
    }

    private static string SafeName(string spec) =>
        Path.GetFileNameWithoutExtension(spec[..spec.LastIndexOf(':')]) + "_" + spec[(spec.LastIndexOf(':') + 1)..];

    /// <summary><c>--device</c>: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>; CUDA only where LibTorch sees that device.</summary>
    private static Device ParseDevice(string text)
    {
        if (text == "cpu")
        {
            return CPU;
        }

        var index = text == "cuda" ? 0
            : text.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(text.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
            : throw new UsageException($"--device must be cpu, cuda or cuda:N (got '{text}')");
        var visible = TorchEnvironment.CudaDevices;
        return index < visible
            ? new Device(DeviceType.CUDA, index)
            : throw new UsageException($"--device {text}: LibTorch sees {visible} CUDA device(s) (a CPU build of TorchSharp sees none: build with TorchBackend=cuda)");
    }
}
