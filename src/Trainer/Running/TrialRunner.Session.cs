using TorchSharp;
using static TorchSharp.torch;
using AlgoPerf.Trainer.Checkpoints;
using AlgoPerf.Trainer.Distributed;
using AlgoPerf.Trainer.Logging;
using AlgoPerf.Trainer.Submissions;
using AlgoPerf.Trainer.Timing;
using AlgoPerf.Trainer.Workloads;
using Microsoft.Extensions.Logging;

namespace AlgoPerf.Trainer.Running;

public sealed partial class TrialRunner
{
    /// <summary>One run of one trial: the loop's delegates bound to the submission, the workload and the files.</summary>
    private sealed class Session
    {
        private readonly TrialRunner _runner;
        private readonly Workload _workload;
        private readonly ISubmission _submission;
        private readonly Hyperparameters? _hyperparameters;
        private readonly TrialRequest _request;
        private readonly TrialObjects _state;
        private readonly CheckpointStore _store;
        private readonly TrialRecorder? _recorder;
        private readonly IGradientReducer? _gang; // of two ranks or more
        private readonly ITrialObserver _observer;
        private readonly int _preemption;
        private readonly AlgoPerfClock _clock;
        private readonly TimedLoop<Batch> _loop;
        private readonly List<CheckpointInfo> _checkpoints = [];
        private DisposeScope? _stepScope;
        private int _evalsSinceCheckpoint;
        private long _backwardsBefore;

        public Session(
            TrialRunner runner,
            Workload workload,
            ISubmission submission,
            Hyperparameters? hyperparameters,
            TrialRequest request,
            TrialObjects state,
            CheckpointStore store,
            TrialRecorder? recorder,
            ITrialObserver observer,
            int preemption,
            IReadOnlyList<EvalRecord>? previousEvals,
            IGradientReducer? gang)
        {
            _runner = runner;
            _workload = workload;
            _submission = submission;
            _hyperparameters = hyperparameters;
            _request = request;
            _state = state;
            _store = store;
            _recorder = recorder;
            _gang = gang;
            _observer = observer;
            _preemption = preemption;
            _clock = new AlgoPerfClock(request.Clock, runner._options.Time, agree: _gang is null ? null : GangTime);
            var callbacks = new TimedLoopCallbacks<Batch>
            {
                SelectData = SelectData,
                Update = Update,
                PrepareForEval = submission.HasPrepareForEval ? PrepareForEval : null,
                Evaluate = Evaluate,
                AfterEval = AfterEval,
                Agree = _gang is null ? null : AgreeSignals,
            };
            _loop = new TimedLoop<Batch>(workload.Spec, _clock, callbacks, TrialSeeds.From(request.Seed).Loop, previousEvals);
        }

        /// <summary>True when the loop ended between a data selection and the end of its update (no consistent state to save).</summary>
        public bool StepInProgress { get; private set; }

        public IReadOnlyList<CheckpointInfo> Checkpoints => _checkpoints;

        public TrialOutcome Run(CheckpointHeader? resumed, CancellationToken cancellationToken) =>
            _loop.Run(resumed?.TrainState, resumed?.GlobalStep ?? 0, cancellationToken);

        public void SaveCheckpoint(long globalStep, TrainState trainState, IReadOnlyList<EvalRecord> evals)
        {
            var writer = new CheckpointWriter();
            try
            {
                _state.Save(writer);
                var header = new CheckpointHeader(_workload.Name, _request.Trial.Submission, _request.Seed, globalStep, _preemption, trainState, _state.Input.Position, evals);
                var info = _store.Save(header, writer);
                _checkpoints.Add(info);
                _observer.CheckpointSaved(info);
            }
            finally
            {
                writer.ReleaseOwned();
            }
        }

        private Batch SelectData(StepContext context)
        {
            StepInProgress = true;
            _backwardsBefore = _state.Model.BackwardCount;
            _stepScope = torch.NewDisposeScope();
            try
            {
                return _submission.DataSelection(_workload, _state.Input, _state.OptimizerState, _state.Model, _hyperparameters, context.GlobalStep, context.Seeds.DataSelection);
            }
            catch
            {
                CloseStepScope();
                throw;
            }
        }

        private UpdateResult Update(StepContext context, Batch batch)
        {
            UpdateOutput output;
            try
            {
                using (batch)
                {
                    output = _submission.UpdateParams(
                        _workload, _state.Model, _hyperparameters, batch, _workload.LossType, _state.OptimizerState,
                        context.EvalResults, context.GlobalStep, context.Seeds.Update, context.TrainState);
                }
            }
            finally
            {
                CloseStepScope();
            }

            ReplaceOptimizerState(output.OptimizerState);
            if (_gang is not null && _state.Model.BackwardCount == _backwardsBefore)
            {
                throw new InvalidOperationException(
                    $"update_params computed no gradient through WorkloadModel.Backward at step {context.GlobalStep}: in a data-parallel gang of {_gang.WorldSize} ranks, " +
                    "loss.backward() alone leaves each rank with its shard's gradient; call model.Backward(loss) (docs/submissions.md)");
            }

            if (output.Metrics is { Count: > 0 } metrics)
            {
                _recorder?.Metrics.AppendScalarMetrics(metrics.Select(m => KeyValuePair.Create(m.Key, LogValue.Of(m.Value))), context.GlobalStep);
            }

            StepInProgress = false;
            _observer.StepEnded(context.GlobalStep + 1, context.TrainState.AccumulatedSubmissionTime);
            return new UpdateResult(output.Loss);
        }

        private void PrepareForEval(StepContext context)
        {
            using var scope = torch.NewDisposeScope();
            var state = _submission.PrepareForEval(_workload, _state.Model, _hyperparameters, _workload.LossType, _state.OptimizerState, context.EvalResults, context.GlobalStep, context.Seeds.PrepareForEval);
            ReplaceOptimizerState(state);
        }

        private IReadOnlyDictionary<string, double> Evaluate(StepContext context)
        {
            using var scope = torch.NewDisposeScope();
            return _workload.EvalModel(_state.Model);
        }

        private void AfterEval(EvalRecord record)
        {
            _recorder?.RecordEval(record);
            _observer.EvalRecorded(_loop.EvalResults.Count - 1, record);
            var every = _runner._options.CheckpointEveryEvals;
            if (every > 0 && ++_evalsSinceCheckpoint >= every && _gang is not { Rank: > 0 })
            {
                _evalsSinceCheckpoint = 0;
                SaveCheckpoint(_clock.GlobalStep, _clock.State, _loop.EvalResults.ToArray());
                _runner._options.Logger.LogDebug("trial {Trial}: checkpoint at step {Step}", _request.Trial, _clock.GlobalStep);
            }
        }

        private void ReplaceOptimizerState(IOptimizerState next)
        {
            ArgumentNullException.ThrowIfNull(next);
            if (!ReferenceEquals(next, _state.OptimizerState))
            {
                _state.OptimizerState.Dispose();
                _state.OptimizerState = next;
            }
        }

        // The reference's sync_ddp_time: every reading of a gang's clock is the latest over its ranks.
        private double GangTime(double now)
        {
            Span<double> time = [now];
            _gang!.AllReduce(time, ReduceOp.Max);
            return time[0];
        }

        private LoopSignals AgreeSignals(LoopSignals local)
        {
            // Or over the ranks: the maximum of each flag's 0 or 1.
            Span<double> bits = [local.HasFlag(LoopSignals.Cancel) ? 1 : 0, local.HasFlag(LoopSignals.TrainingComplete) ? 1 : 0, local.HasFlag(LoopSignals.Diverged) ? 1 : 0];
            _gang!.AllReduce(bits, ReduceOp.Max);
            return (bits[0] > 0 ? LoopSignals.Cancel : LoopSignals.None)
                | (bits[1] > 0 ? LoopSignals.TrainingComplete : LoopSignals.None)
                | (bits[2] > 0 ? LoopSignals.Diverged : LoopSignals.None);
        }

        private void CloseStepScope()
        {
            _stepScope?.Dispose();
            _stepScope = null;
        }
    }
}
