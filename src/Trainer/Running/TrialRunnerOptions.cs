using AlgoPerf.Trainer.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AlgoPerf.Trainer.Running;

/// <summary>How a <see cref="TrialRunner"/> runs trials: where logs go, threads, checkpoint cadence, resume, time.</summary>
public sealed record TrialRunnerOptions
{
    /// <summary>The run directory; each trial writes under <c>&lt;run&gt;/&lt;submission&gt;/study_k/&lt;workload&gt;_pytorch/trial_n/</c>.</summary>
    public required string RunDirectory { get; init; }

    /// <summary>libtorch intra-op threads for the trial (process-wide setting, applied at trial start); null leaves it.</summary>
    public int? IntraOpThreads { get; init; }

    /// <summary>Write a checkpoint after every N-th eval (1: after each; 0: never).</summary>
    public int CheckpointEveryEvals { get; init; } = 1;

    /// <summary>Write a checkpoint when the trial is cancelled (so a resume continues from exactly that step).</summary>
    public bool CheckpointOnCancel { get; init; } = true;

    /// <summary>Resume from the trial directory's latest usable checkpoint when there is one.</summary>
    public bool Resume { get; init; } = true;

    /// <summary>Checkpoints kept per trial (the latest and the ones before it to fall back to); at least 2.</summary>
    public int CheckpointsKept { get; init; } = 2;

    /// <summary>The clock's time source.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Machine facts for <c>meta_data_N.json</c>; null probes the machine once per trial.</summary>
    public SystemInfo? System { get; init; }

    /// <summary>Where the runner logs (resume, corrupt checkpoints, outcome).</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">A value out of range.</exception>
    public TrialRunnerOptions Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(RunDirectory);
        if (IntraOpThreads is < 1)
        {
            throw new ArgumentException($"intra-op threads must be at least 1 (got {IntraOpThreads})");
        }

        if (CheckpointEveryEvals < 0 || CheckpointsKept < 2)
        {
            throw new ArgumentException($"checkpoint every {CheckpointEveryEvals} evals keeping {CheckpointsKept}: need >= 0 and >= 2");
        }

        return this;
    }
}
