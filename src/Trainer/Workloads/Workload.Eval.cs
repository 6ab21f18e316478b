using TorchSharp;
using static TorchSharp.torch;
using AlgoPerf.Trainer.Distributed;
using AlgoPerf.Trainer.Input;
using AlgoPerf.Trainer.Models;

namespace AlgoPerf.Trainer.Workloads;

public abstract partial class Workload
{
    /// <summary>
    /// <c>eval_model</c>: evaluates eval_train (the first <see cref="NumEvalTrainExamples"/> train examples),
    /// validation and test in order, in eval mode without gradients, in contiguous batches of
    /// <see cref="EvalBatchSize"/> (the last one shorter). Keys as the reference: <c>train/&lt;m&gt;</c>,
    /// <c>validation/&lt;m&gt;</c>, <c>validation/num_examples</c>, <c>test/&lt;m&gt;</c>, <c>test/num_examples</c>.
    /// The model's training mode is restored afterwards. A model in a data-parallel gang (<see cref="WorkloadModel.Gang"/>)
    /// evaluates rank 0's buffers, each rank its share of every split's batches, and the metric sums are added over
    /// the ranks, so every rank returns the metrics of the whole split.
    /// </summary>
    public IReadOnlyDictionary<string, double> EvalModel(WorkloadModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var wasTraining = model.training;
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        model.BroadcastBuffers();
        try
        {
            AddSplit(result, "train", EvalSplit(model, DataSplit.Train, NumEvalTrainExamples), null);
            AddSplit(result, "validation", EvalSplit(model, DataSplit.Validation, NumValidationExamples), NumValidationExamples);
            AddSplit(result, "test", EvalSplit(model, DataSplit.Test, NumTestExamples), NumTestExamples);
        }
        finally
        {
            model.train(wasTraining);
        }

        return result;
    }

    /// <summary>The runner's stop rule on the validation target (strict comparison).</summary>
    public bool HasReachedValidationTarget(IReadOnlyDictionary<string, double> evalResult)
    {
        ArgumentNullException.ThrowIfNull(evalResult);
        return evalResult.TryGetValue(Spec.ValidationMetricKey, out var v) && Spec.RunnerReachedValidation(v);
    }

    /// <summary>The runner's stop rule on the test target (strict comparison).</summary>
    public bool HasReachedTestTarget(IReadOnlyDictionary<string, double> evalResult)
    {
        ArgumentNullException.ThrowIfNull(evalResult);
        return evalResult.TryGetValue(Spec.TestMetricKey, out var v) && Spec.RunnerReachedTest(v);
    }

    /// <summary>The metrics of the first <paramref name="count"/> examples of <paramref name="split"/>, by metric name.</summary>
    public IReadOnlyDictionary<string, double> EvalSplit(WorkloadModel model, DataSplit split, int count)
    {
        ArgumentNullException.ThrowIfNull(model);
        var sums = new double[MetricNames.Count];
        var indices = new int[EvalBatchSize];
        var gang = model.Gang is { WorldSize: > 1 } g ? g : null;
        model.eval();
        model.DropoutRate = 0;
        using (torch.no_grad())
        {
            // A gang's rank r takes batches r, r + k, r + 2k, ...: the shares differ by at most one batch.
            foreach (var range in EvalBatches.Over(count, EvalBatchSize).Where((_, i) => gang is null || i % gang.WorldSize == gang.Rank))
            {
                using var scope = torch.NewDisposeScope();
                var span = indices.AsSpan(0, range.Count);
                for (var k = 0; k < span.Length; k++)
                {
                    span[k] = range.Start + k;
                }

                using var batch = MakeBatch(split, span, 0, 0).To(Device);
                AccumulateMetrics(model.forward(batch.Inputs), batch, sums);
            }
        }

        gang?.AllReduce(sums, ReduceOp.Sum);

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var m = 0; m < sums.Length; m++)
        {
            metrics[MetricNames[m]] = count == 0 ? double.NaN : sums[m] / count;
        }

        return metrics;
    }

    /// <summary>Adds one split's metrics to an eval result under the split's prefix.</summary>
    protected virtual void AddSplit(Dictionary<string, double> result, string prefix, IReadOnlyDictionary<string, double> metrics, int? numExamples)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(metrics);
        foreach (var (name, value) in metrics)
        {
            result[prefix + "/" + name] = value;
        }

        if (numExamples is int n)
        {
            result[prefix + "/num_examples"] = n;
        }
    }
}
