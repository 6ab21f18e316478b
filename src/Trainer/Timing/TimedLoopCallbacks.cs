namespace AlgoPerf.Trainer.Timing;

/// <summary>
/// The work the timed loop drives, as delegates: the submission's calls (timed) and the workload's eval and the
/// logging after it (untimed). The real trainer binds these to a submission, a workload and tensors; tests bind
/// fakes that advance a fake clock.
/// </summary>
/// <typeparam name="TBatch">What data selection hands to the update.</typeparam>
public sealed class TimedLoopCallbacks<TBatch>
{
    /// <summary>The submission's <c>data_selection</c> (timed).</summary>
    public required Func<StepContext, TBatch> SelectData { get; init; }

    /// <summary>
    /// The submission's <c>update_params</c> (timed). Throwing
    /// <see cref="Submissions.TrainingCompleteException"/> ends training early.
    /// </summary>
    public required Func<StepContext, TBatch, UpdateResult> Update { get; init; }

    /// <summary>The submission's optional <c>prepare_for_eval</c> (timed; called only by rules that have it).</summary>
    public Action<StepContext>? PrepareForEval { get; init; }

    /// <summary>
    /// The workload's eval on eval_train, validation and test (untimed): metric name to value, e.g.
    /// <c>validation/accuracy</c>. The loop appends the time columns to a copy.
    /// </summary>
    public required Func<StepContext, IReadOnlyDictionary<string, double>> Evaluate { get; init; }

    /// <summary>Logging and checkpointing after an eval (untimed, counted as logging time).</summary>
    public Action<EvalRecord>? AfterEval { get; init; }

    /// <summary>
    /// A data-parallel gang's agreement, called once per step after the update:
    /// this rank's signals in, every rank's or-ed together out (a collective every rank calls in the same order). Null
    /// for a trial on one device, whose loop reads its own cancellation token before every step instead.
    /// </summary>
    public Func<LoopSignals, LoopSignals>? Agree { get; init; }
}
