namespace AlgoPerf.Trainer.Timing;

/// <summary>
/// The reference runner's timing rules as a state machine (<c>submission_runner.py::train_once</c>,
/// <c>algoperf-rules.md</c> §2 and §5). It owns every value of <c>train_state</c> and the global step; the loop that
/// drives it (<see cref="TimedLoop{TBatch}"/>) calls it in the reference's order:
/// <see cref="Start"/> once after init, then per iteration <see cref="EndStep"/>, optionally
/// <see cref="AddPrepareForEvalTime"/> and <see cref="CheckBudgetBeforeEval"/>, <see cref="RecordEval"/> and
/// <see cref="AddLoggingTime"/> when an eval ran, and <see cref="EndIteration"/>.
/// </summary>
/// <remarks>
/// Time is read from the injected <see cref="TimeProvider"/>: epoch seconds (like <c>time.time()</c>) anchored once
/// at construction and advanced by the monotonic timestamp, so a wall-clock jump cannot make a step negative.
/// An optional synchronisation callback runs before every reading, as <c>get_time()</c> calls
/// <c>torch.cuda.synchronize()</c> first; in a data-parallel gang an agreement callback then replaces the reading with
/// the maximum over the ranks (the reference's <c>sync_ddp_time</c>), so every rank's clock makes the same decisions.
/// </remarks>
public sealed class AlgoPerfClock
{
    private readonly TimeProvider _time;
    private readonly Action? _synchronize;
    private readonly Func<double, double>? _agree;
    private readonly double _anchorEpochSec;
    private readonly long _anchorTimestamp;

    private bool _started;
    private bool _validationGoalReached;
    private bool _testGoalReached;
    private bool _isTimeRemaining = true;
    private double _lastEvalTime;
    private bool _trainingComplete;
    private double _accumulatedSubmissionTime;
    private double _accumulatedEvalTime;
    private double _accumulatedLoggingTime;
    private double _lastStepEndTime;
    private double _stepEndTime;

    /// <summary>Creates a clock; nothing is timed until <see cref="Start"/>.</summary>
    /// <param name="settings">Eval period, budget and the rules-version switches.</param>
    /// <param name="timeProvider">The time source (a fake one in tests).</param>
    /// <param name="synchronize">Called before every time reading (e.g. a device synchronize); may be null.</param>
    /// <param name="agree">Turns every reading into the gang's (the maximum over the ranks, a collective every rank
    /// calls in the same order); null for a trial on one device.</param>
    public AlgoPerfClock(ClockSettings settings, TimeProvider timeProvider, Action? synchronize = null, Func<double, double>? agree = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (!(settings.EvalPeriodSec >= 0) || !(settings.MaxAllowedRuntimeSec > 0))
        {
            throw new ArgumentException($"eval period ({settings.EvalPeriodSec}) must be >= 0 and budget ({settings.MaxAllowedRuntimeSec}) > 0", nameof(settings));
        }

        Settings = settings;
        _time = timeProvider;
        _synchronize = synchronize;
        _agree = agree;
        _anchorEpochSec = (timeProvider.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalSeconds;
        _anchorTimestamp = timeProvider.GetTimestamp();
    }

    /// <summary>The settings this clock runs under.</summary>
    public ClockSettings Settings { get; }

    /// <summary>Number of completed steps (the runner's <c>global_step</c>).</summary>
    public long GlobalStep { get; private set; }

    /// <summary>When the clock started (<c>global_start_time</c>), epoch seconds.</summary>
    public double GlobalStartTime { get; private set; }

    /// <summary>True when the last <see cref="EndStep"/> ended training because the step limit was reached.</summary>
    public bool ReachedMaxSteps { get; private set; }

    /// <summary>A read-only snapshot of <c>train_state</c>.</summary>
    public TrainState State => new(
        _validationGoalReached,
        _testGoalReached,
        _isTimeRemaining,
        _lastEvalTime,
        _trainingComplete,
        _accumulatedSubmissionTime,
        _accumulatedEvalTime,
        _accumulatedLoggingTime,
        _lastStepEndTime);

    /// <summary>The loop condition: time remains, not both goals reached, training not complete.</summary>
    public bool ShouldContinue => _isTimeRemaining && !(_validationGoalReached && _testGoalReached) && !_trainingComplete;

    /// <summary>Reads the clock (after the synchronisation callback): epoch seconds.</summary>
    public double Now()
    {
        _synchronize?.Invoke();
        var now = _anchorEpochSec + _time.GetElapsedTime(_anchorTimestamp).TotalSeconds;
        return _agree is null ? now : _agree(now);
    }

    /// <summary>
    /// Starts the clock after input pipeline, model and optimizer init: <c>global_start_time = last_step_end_time = now</c>.
    /// A resumed trial passes its restored state and step; the time spent down is not counted, as in the reference.
    /// </summary>
    /// <exception cref="InvalidOperationException">The clock was already started.</exception>
    public void Start(TrainState? restored = null, long globalStep = 0)
    {
        if (_started)
        {
            throw new InvalidOperationException("the clock was already started");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(globalStep);
        _started = true;
        var s = restored ?? TrainState.Initial;
        _validationGoalReached = s.ValidationGoalReached;
        _testGoalReached = s.TestGoalReached;
        _isTimeRemaining = s.IsTimeRemaining;
        _lastEvalTime = s.LastEvalTime;
        _trainingComplete = s.TrainingComplete;
        _accumulatedSubmissionTime = s.AccumulatedSubmissionTime;
        _accumulatedEvalTime = s.AccumulatedEvalTime;
        _accumulatedLoggingTime = s.AccumulatedLoggingTime;
        GlobalStep = globalStep;
        GlobalStartTime = Now();
        _lastStepEndTime = GlobalStartTime;
    }

    /// <summary>
    /// Closes the timed window of one step, right after <c>update_params</c> returned: increments the step, applies
    /// the step limit, adds <c>step_end − last_step_end</c> to the submission time, applies the v0.5 per-step budget
    /// check, and says whether an eval is due (<c>step_end − last_eval_time ≥ eval_period</c> or training complete).
    /// </summary>
    /// <param name="trainingCompleteRaised">The submission raised <c>TrainingCompleteError</c> in this step.</param>
    /// <returns>True when an eval is due after this step.</returns>
    public bool EndStep(bool trainingCompleteRaised)
    {
        EnsureStarted();
        if (trainingCompleteRaised)
        {
            _trainingComplete = true;
        }

        GlobalStep++;
        if (Settings.MaxGlobalSteps is long max && GlobalStep == max)
        {
            _trainingComplete = true;
            ReachedMaxSteps = true;
        }

        _stepEndTime = Now();
        _accumulatedSubmissionTime += _stepEndTime - _lastStepEndTime;
        if (Settings.BudgetCheckedEveryStep)
        {
            _isTimeRemaining = _accumulatedSubmissionTime < Settings.MaxAllowedRuntimeSec;
        }

        return _stepEndTime - _lastEvalTime >= Settings.EvalPeriodSec || _trainingComplete;
    }

    /// <summary>Adds a timed <c>prepare_for_eval</c> call (its start and end readings) to the submission time.</summary>
    public void AddPrepareForEvalTime(double start, double end)
    {
        EnsureStarted();
        _accumulatedSubmissionTime += end - start;
    }

    /// <summary>
    /// The budget check of a due eval. v0.6: <c>is_time_remaining = accumulated_submission_time &lt; budget</c>, and
    /// the eval runs only if time remains. v0.5: the budget was already checked by <see cref="EndStep"/>, and the
    /// due eval runs regardless (the reference's free eval past the budget).
    /// </summary>
    /// <returns>True when the eval is to run.</returns>
    public bool CheckBudgetBeforeEval()
    {
        EnsureStarted();
        if (Settings.BudgetCheckedEveryStep)
        {
            return true;
        }

        _isTimeRemaining = _accumulatedSubmissionTime < Settings.MaxAllowedRuntimeSec;
        return _isTimeRemaining;
    }

    /// <summary>Records a finished eval: goals are or-ed in, <c>last_eval_time = end</c>, the eval time is accumulated.</summary>
    public void RecordEval(double start, double end, bool validationReached, bool testReached)
    {
        EnsureStarted();
        _validationGoalReached |= validationReached;
        _testGoalReached |= testReached;
        _lastEvalTime = end;
        _accumulatedEvalTime += end - start;
    }

    /// <summary>Adds untimed logging/checkpointing time after an eval.</summary>
    public void AddLoggingTime(double start, double end)
    {
        EnsureStarted();
        _accumulatedLoggingTime += end - start;
    }

    /// <summary>
    /// Ends the iteration: <c>last_step_end_time = now</c>, so eval, logging and bookkeeping since the step ended are
    /// excluded from the score (only <c>prepare_for_eval</c> was added back).
    /// </summary>
    public void EndIteration()
    {
        EnsureStarted();
        _lastStepEndTime = Now();
    }

    private void EnsureStarted()
    {
        if (!_started)
        {
            throw new InvalidOperationException("the clock has not been started");
        }
    }
}
