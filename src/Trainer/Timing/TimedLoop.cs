using AlgoPerf.Contracts.Rules;
using AlgoPerf.Trainer.Distributed;
using AlgoPerf.Trainer.Submissions;

namespace AlgoPerf.Trainer.Timing;

/// <summary>
/// The reference runner's training loop (<c>train_once</c>, <c>algoperf-rules.md</c> §2) over an
/// <see cref="AlgoPerfClock"/>: select data and update (timed), and when an eval is due, prepare for it (timed),
/// check the budget, evaluate and log (untimed). It never lets a submission's exception or a diverging loss escape:
/// both end the trial as data (<see cref="LoopEndReason.Failed"/>, <see cref="LoopEndReason.Diverged"/>).
/// </summary>
/// <remarks>
/// In a data-parallel gang (<see cref="TimedLoopCallbacks{TBatch}.Agree"/> set) the ranks agree once per step on
/// cancellation, early completion and divergence, and the clock's readings are the gang's, so every rank
/// takes the same branches and calls the same collectives. A <see cref="GangFailedException"/> (a rank died or hangs)
/// is not an outcome of the trial: it leaves the loop, and the trial resumes from its checkpoint on a new gang.
/// </remarks>
/// <typeparam name="TBatch">What data selection hands to the update.</typeparam>
public sealed partial class TimedLoop<TBatch>
{
    private readonly WorkloadSpec _workload;
    private readonly AlgoPerfClock _clock;
    private readonly TimedLoopCallbacks<TBatch> _callbacks;
    private readonly List<EvalRecord> _evalResults;
    private readonly List<TrialFailure> _evalErrors = [];
    private readonly ulong _loopSeed;
    private StepSeeds _seeds;

    /// <summary>Creates the loop; the clock must not be started yet (<see cref="Run"/> starts it).</summary>
    /// <param name="workload">Targets and metric names used for the stop rule.</param>
    /// <param name="clock">The clock, configured for this trial.</param>
    /// <param name="callbacks">The submission's, the workload's and the logger's work.</param>
    /// <param name="loopSeed">The trial's loop seed (<see cref="TrialSeeds.Loop"/>); each iteration's seeds derive from it.</param>
    /// <param name="previousEvals">Evals restored from a checkpoint, oldest first; empty for a fresh trial.</param>
    public TimedLoop(WorkloadSpec workload, AlgoPerfClock clock, TimedLoopCallbacks<TBatch> callbacks, ulong loopSeed, IEnumerable<EvalRecord>? previousEvals = null)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(callbacks);
        _workload = workload;
        _clock = clock;
        _callbacks = callbacks;
        _loopSeed = loopSeed;
        _evalResults = previousEvals is null ? [] : [.. previousEvals];
    }

    /// <summary>Evals so far, oldest first.</summary>
    public IReadOnlyList<EvalRecord> EvalResults => _evalResults;

    /// <summary>
    /// Starts the clock and runs until a stop condition. Cancellation is checked before every step and ends the
    /// trial as <see cref="LoopEndReason.Cancelled"/>.
    /// </summary>
    /// <param name="restored">The restored <c>train_state</c> of a resumed trial, or null.</param>
    /// <param name="globalStep">The restored step count of a resumed trial.</param>
    /// <param name="cancellationToken">Ends the trial before the next step when cancelled.</param>
    public TrialOutcome Run(TrainState? restored = null, long globalStep = 0, CancellationToken cancellationToken = default)
    {
        _clock.Start(restored, globalStep);
        var earlyEnd = false;
        var agree = _callbacks.Agree;
        var cancelAgreed = false;
        while (_clock.ShouldContinue)
        {
            if (agree is null ? cancellationToken.IsCancellationRequested : cancelAgreed)
            {
                return End(LoopEndReason.Cancelled);
            }

            _seeds = StepSeeds.For(_loopSeed, _clock.GlobalStep);
            var context = Context();
            TBatch batch;
            UpdateResult update = default;
            try
            {
                batch = _callbacks.SelectData(context);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && agree is null)
            {
                return End(LoopEndReason.Cancelled);
            }
            catch (Exception e) when (e is not GangFailedException)
            {
                return Failed("data_selection", e);
            }

            var completeRaised = false;
            try
            {
                update = _callbacks.Update(context, batch);
            }
            catch (TrainingCompleteException)
            {
                completeRaised = true;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && agree is null)
            {
                return End(LoopEndReason.Cancelled);
            }
            catch (Exception e) when (e is not GangFailedException)
            {
                return Failed("update_params", e);
            }

            var diverged = update.Loss is double loss && !double.IsFinite(loss);
            if (agree is not null)
            {
                var local = (cancellationToken.IsCancellationRequested ? LoopSignals.Cancel : LoopSignals.None)
                    | (completeRaised ? LoopSignals.TrainingComplete : LoopSignals.None)
                    | (diverged ? LoopSignals.Diverged : LoopSignals.None);
                var agreed = agree(local);
                cancelAgreed = agreed.HasFlag(LoopSignals.Cancel);
                completeRaised = agreed.HasFlag(LoopSignals.TrainingComplete);
                diverged = agreed.HasFlag(LoopSignals.Diverged);
            }

            earlyEnd |= completeRaised;
            var evalDue = _clock.EndStep(completeRaised);
            if (diverged)
            {
                _clock.EndIteration();
                return End(LoopEndReason.Diverged, divergedLoss: update.Loss is double l && !double.IsFinite(l) ? l : double.NaN);
            }

            if (evalDue)
            {
                var failure = EvalIfTimeRemains();
                if (failure is not null)
                {
                    return End(LoopEndReason.Failed, failure);
                }
            }

            _clock.EndIteration();
        }

        var state = _clock.State;
        var reason = (state.ValidationGoalReached && state.TestGoalReached) ? LoopEndReason.TargetsReached
            : !state.IsTimeRemaining ? LoopEndReason.BudgetExhausted
            : earlyEnd || !_clock.ReachedMaxSteps ? LoopEndReason.TrainingComplete
            : LoopEndReason.MaxSteps;
        return End(reason);
    }

    // The eval history is append-only, so a prefix view is a snapshot that later evals do not change.
    private StepContext Context() => new(_clock.GlobalStep, _clock.State, new ListPrefix<EvalRecord>(_evalResults, _evalResults.Count), _seeds);

    // In a gang, the other ranks are not told: this rank may have left inside the update's collectives, where no
    // agreement can be reached. A failure every rank meets (a submission's bug) ends them all at the same point; one
    // that only this rank met leaves the others waiting in their next collective until the gang's timeout fails them.
    private TrialOutcome Failed(string phase, Exception e)
    {
        var failure = TrialFailure.From(phase, _clock.GlobalStep, e);
        return End(LoopEndReason.Failed, failure);
    }

    private TrialOutcome End(LoopEndReason reason, TrialFailure? failure = null, double? divergedLoss = null) =>
        new(reason, _clock.GlobalStep, _clock.State, _evalResults.ToArray(), failure, _evalErrors.ToArray(), divergedLoss);
}
