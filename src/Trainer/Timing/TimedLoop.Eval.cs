using AlgoPerf.Trainer.Distributed;

namespace AlgoPerf.Trainer.Timing;

/// <content>The due-eval part of an iteration: prepare (timed), budget check, eval and logging (untimed).</content>
public sealed partial class TimedLoop<TBatch>
{
    /// <summary>Runs the due-eval block; returns a failure when the submission or the logging threw.</summary>
    private TrialFailure? EvalIfTimeRemains()
    {
        if (_clock.Settings.CallsPrepareForEval && _callbacks.PrepareForEval is { } prepare)
        {
            var start = _clock.Now();
            try
            {
                prepare(Context());
            }
            catch (Exception e) when (e is not GangFailedException)
            {
                return TrialFailure.From("prepare_for_eval", _clock.GlobalStep, e);
            }

            _clock.AddPrepareForEvalTime(start, _clock.Now());
        }

        if (!_clock.CheckBudgetBeforeEval())
        {
            return null;
        }

        var evalStart = _clock.Now();
        var metrics = new OrderedDictionary<string, double>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, value) in _callbacks.Evaluate(Context()))
            {
                metrics[name] = value;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException and not GangFailedException)
        {
            // The reference catches RuntimeError around the eval (e.g. out of memory), logs it and trains on
            // without that eval; last_eval_time is not updated, so the next step is due again.
            _evalErrors.Add(TrialFailure.From("eval", _clock.GlobalStep, e));
            return null;
        }

        var validationReached = metrics.TryGetValue(_workload.ValidationMetricKey, out var v) && _workload.RunnerReachedValidation(v);
        var testReached = metrics.TryGetValue(_workload.TestMetricKey, out var t) && _workload.RunnerReachedTest(t);
        var evalEnd = _clock.Now();
        _clock.RecordEval(evalStart, evalEnd, validationReached, testReached);

        var state = _clock.State;
        metrics["score"] = state.AccumulatedSubmissionTime;
        metrics["total_duration"] = evalEnd - _clock.GlobalStartTime;
        metrics["accumulated_submission_time"] = state.AccumulatedSubmissionTime;
        metrics["accumulated_eval_time"] = state.AccumulatedEvalTime;
        metrics["accumulated_logging_time"] = state.AccumulatedLoggingTime;
        var record = new EvalRecord(_clock.GlobalStep, metrics);
        _evalResults.Add(record);

        var loggingStart = _clock.Now();
        try
        {
            _callbacks.AfterEval?.Invoke(record);
        }
        catch (Exception e)
        {
            return TrialFailure.From("logging", _clock.GlobalStep, e);
        }

        _clock.AddLoggingTime(loggingStart, _clock.Now());
        return null;
    }
}
