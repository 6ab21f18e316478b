using TorchSharp;
using static TorchSharp.torch;
using AlgoPerf.Trainer.Models;
using AlgoPerf.Trainer.Optimizers;
using AlgoPerf.Trainer.Submissions;
using AlgoPerf.Trainer.Submissions.Baselines;
using AlgoPerf.Trainer.Timing;
using AlgoPerf.Trainer.Workloads;

namespace AlgoPerf.Trainer.Tests.Submissions;

[Collection("Torch")]
public sealed class BaselineSubmissionTests
{
    private const int Steps = 3;
    private const ulong ModelSeed = 7;

    public static TheoryData<string> Baselines => [.. SubmissionRegistry.BuiltInNames];

    [Theory]
    [MemberData(nameof(Baselines))]
    public void UpdateParams_ThreeSteps_EqualsTheOptimizerDrivenDirectlyWithTheSchedule(string name)
    {
        // The submission (hyperparameter binding, loss, clipping, schedule, optimizer) against the verified optimizer
        // class driven by hand with the schedule's closed form: bit-identical parameters after every step.
        var workload = new TinyWorkload();
        var hp = HyperparametersFor(name);
        var submission = SubmissionRegistry.Resolve(name).Submission;
        using var model = (TinyModel)workload.InitModel(ModelSeed);
        using var oracleModel = (TinyModel)workload.InitModel(ModelSeed);
        var initial = model.Values();
        using var state = submission.InitOptimizerState(workload, model, hp, 1);
        using var oracle = Oracle(name, hp, oracleModel);
        for (var t = 0; t < Steps; t++)
        {
            const ulong Rng = 99;
            using (var batch = workload.FullBatch())
            {
                var output = submission.UpdateParams(workload, model, hp, batch, workload.LossType, state, [], t, Rng + (ulong)t, TrainState.Initial);
                Assert.Same(state, output.OptimizerState);
                Assert.True(output.Loss is > 0 && double.IsFinite(output.Loss.Value));
                Assert.Equal(["loss", "grad_norm"], output.Metrics!.Select(m => m.Key));
            }

            oracle.Step(workload, oracleModel, t, Rng + (ulong)t);
            Assert.Equal(oracleModel.Values(), model.Values());
        }

        Assert.NotEqual(initial, model.Values());
    }

    [Theory]
    [MemberData(nameof(Baselines))]
    public void Load_SavedAfterTwoSteps_NextStepIsBitIdentical(string name)
    {
        var workload = new TinyWorkload();
        var hp = HyperparametersFor(name);
        var submission = SubmissionRegistry.Resolve(name).Submission;
        using var model = (TinyModel)workload.InitModel(ModelSeed);
        using var state = submission.InitOptimizerState(workload, model, hp, 1);
        for (var t = 0; t < 2; t++)
        {
            using var batch = workload.FullBatch();
            submission.UpdateParams(workload, model, hp, batch, workload.LossType, state, [], t, 5, TrainState.Initial);
        }

        using var resumedModel = (TinyModel)workload.InitModel(ModelSeed + 1);
        using (torch.no_grad())
        {
            foreach (var (to, from) in resumedModel.parameters().Zip(model.parameters()))
            {
                to.copy_(from);
            }
        }

        using var resumed = SubmissionRegistry.Resolve(name).Submission.InitOptimizerState(workload, resumedModel, hp, 1);
        var saved = state.Save();
        Assert.NotEmpty(saved.Tensors);
        resumed.Load(saved);
        Assert.Equal(saved.Scalars, resumed.Save().Scalars);
        using (var batch = workload.FullBatch())
        {
            submission.UpdateParams(workload, model, hp, batch, workload.LossType, state, [], 2, 6, TrainState.Initial);
        }

        using (var batch = workload.FullBatch())
        {
            submission.UpdateParams(workload, resumedModel, hp, batch, workload.LossType, resumed, [], 2, 6, TrainState.Initial);
        }

        Assert.Equal(model.Values(), resumedModel.Values());
    }

    [Theory]
    [MemberData(nameof(Baselines))]
    public void UpdateParams_FortyStepsOverTheStepHint_ReducesTheLoss(string name)
    {
        var workload = new TinyWorkload(stepHint: 40);
        var hp = HyperparametersFor(name);
        var submission = SubmissionRegistry.Resolve(name).Submission;
        using var model = (TinyModel)workload.InitModel(ModelSeed);
        using var state = submission.InitOptimizerState(workload, model, hp, 1);
        var losses = new List<double>();
        for (var t = 0; t < 40; t++)
        {
            using var batch = workload.FullBatch();
            losses.Add(submission.UpdateParams(workload, model, hp, batch, workload.LossType, state, [], t, (ulong)t, TrainState.Initial).Loss!.Value);
        }

        Assert.All(losses, l => Assert.True(double.IsFinite(l)));
        Assert.True(losses[^1] < 0.9 * losses[0], $"{name}: loss {losses[0]} -> {losses[^1]}");
    }

    [Fact]
    public void InitOptimizerState_MissingKey_ErrorNamesTheKeyAndTheSubmission()
    {
        var workload = new TinyWorkload();
        using var model = workload.InitModel(ModelSeed);
        var hp = new Hyperparameters(
            [new("learning_rate", 0.01), new("one_minus_beta1", 0.1), new("weight_decay", 0.1), new("warmup_factor", 0.25)],
            "trial 3");
        var e = Assert.Throws<HyperparameterException>(() => new NAdamWSubmission().InitOptimizerState(workload, model, hp, 0));
        Assert.Equal(["beta2"], e.Names);
        Assert.Equal("nadamw: trial 3: missing hyperparameter 'beta2' (have: learning_rate, one_minus_beta1, weight_decay, warmup_factor)", e.Message);
    }

    [Fact]
    public void InitOptimizerState_ExternalTuningBaselineWithoutHyperparameters_IsRefused()
    {
        var workload = new TinyWorkload();
        using var model = workload.InitModel(ModelSeed);
        var e = Assert.Throws<HyperparameterException>(() => new MomentumSubmission().InitOptimizerState(workload, model, null, 0));
        Assert.Contains("momentum is an external-tuning baseline", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InitOptimizerState_WarmupUnderOneStep_ErrorNamesWarmupFactor()
    {
        var workload = new TinyWorkload();
        using var model = workload.InitModel(ModelSeed);
        var hp = new Hyperparameters([new("learning_rate", 0.01), new("one_minus_beta1", 0.1), new("beta2", 0.99), new("weight_decay", 0.1), new("warmup_factor", 0.1)]);
        var e = Assert.Throws<HyperparameterException>(() => new AdamWSubmission().InitOptimizerState(workload, model, hp, 0));
        Assert.Equal(["warmup_factor"], e.Names);
    }

    [Fact]
    public void GetBatchSize_BaseAndVariantNames_BaseKnownVariantRefusedAsTheReference()
    {
        var submission = new NAdamWSubmission();
        Assert.Equal(128, submission.GetBatchSize("fmnist_mlp"));
        Assert.Equal(512, submission.GetBatchSize("dlrm_synth"));
        var e = Assert.Throws<ArgumentException>(() => submission.GetBatchSize("fmnist_mlp_gelu"));
        Assert.Contains("'fmnist_mlp_gelu'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShouldReset_StagnantAccuracy_FiresAndImprovingDoesNot()
    {
        static EvalRecord E(double v) => new(0, new Dictionary<string, double> { ["validation/accuracy"] = v });
        Assert.True(ScheduleFreeAdamWSubmission.ShouldReset([E(0.10), E(0.101), E(0.105), E(0.104), E(0.109)], "accuracy", "validation/accuracy"));
        Assert.False(ScheduleFreeAdamWSubmission.ShouldReset([E(0.10), E(0.101), E(0.105), E(0.104), E(0.115)], "accuracy", "validation/accuracy"));
        Assert.False(ScheduleFreeAdamWSubmission.ShouldReset([E(0.10), E(0.10), E(0.10)], "accuracy", "validation/accuracy"));
        Assert.True(ScheduleFreeAdamWSubmission.ShouldReset([E(0.10), E(0.10), E(0.10), E(0.10)], "accuracy", "validation/accuracy"));
    }

    [Fact]
    public void ShouldReset_LossMetric_IsNegatedSoFallingLossIsProgress()
    {
        static EvalRecord E(double v) => new(0, new Dictionary<string, double> { ["validation/loss"] = v });
        Assert.False(ScheduleFreeAdamWSubmission.ShouldReset([E(2.0), E(1.5), E(1.0), E(0.5)], "loss", "validation/loss"));
        Assert.True(ScheduleFreeAdamWSubmission.ShouldReset([E(0.5), E(1.0), E(1.5), E(2.0)], "loss", "validation/loss"));
    }

    [Fact]
    public void UpdateParams_ScheduleFreeStagnatingAfterTenPercentOfStepHint_ResetsToInitialWeightsAndHalvesLr()
    {
        var workload = new TinyWorkload();
        var submission = new ScheduleFreeAdamWSubmission();
        using var model = (TinyModel)workload.InitModel(ModelSeed);
        using var oracleModel = (TinyModel)workload.InitModel(ModelSeed);
        using var state = (OptimizerState)submission.InitOptimizerState(workload, model, null, 0);
        for (var t = 0; t < 3; t++)
        {
            using var batch = workload.FullBatch();
            submission.UpdateParams(workload, model, null, batch, workload.LossType, state, [], t, 11, TrainState.Initial);
        }

        Assert.Equal(0.0025, state.Save().GetScalar("submission.lr"));
        EvalRecord[] stagnant = [.. Enumerable.Repeat(new EvalRecord(3, new Dictionary<string, double> { ["validation/loss"] = 1.0 }), 4)];

        // global_step 3 > 0.1·8 with 4 flat evals: reset before the step, then one step from x0 at half the rate.
        using (var batch = workload.FullBatch())
        {
            submission.UpdateParams(workload, model, null, batch, workload.LossType, state, stagnant, 3, 12, TrainState.Initial);
        }

        Assert.Equal(0.00125, state.Save().GetScalar("submission.lr"));
        Assert.Equal(1, state.Save().GetScalar("submission.resets"));
        Assert.Equal(4, state.Save().GetScalar("submission.max_checked_eval_step"));
        using var fresh = new ScheduleFreeAdamW(oracleModel.parameters().Select(p => p), 0.9, 0.9955159689799007, 0.08121616522670176, 0, 2, 0.75);
        OracleScheduleFreeStep(workload, oracleModel, fresh, 0.00125, 12);
        Assert.Equal(oracleModel.Values(), model.Values());

        // The same evals again: not a new eval, so no second reset.
        using (var batch = workload.FullBatch())
        {
            submission.UpdateParams(workload, model, null, batch, workload.LossType, state, stagnant, 4, 13, TrainState.Initial);
        }

        Assert.Equal(1, state.Save().GetScalar("submission.resets"));
    }

    private static Hyperparameters? HyperparametersFor(string name) => name switch
    {
        "nadamw" => new([new("learning_rate", 0.05), new("one_minus_beta1", 0.1), new("beta2", 0.99), new("weight_decay", 0.1), new("warmup_factor", 0.25), new("label_smoothing", 0.1), new("dropout_rate", 0.0), new("grad_clip", 0.5)]),
        "adamw" or "lamb" => new([new("learning_rate", 0.05), new("one_minus_beta1", 0.1), new("beta2", 0.99), new("weight_decay", 0.1), new("warmup_factor", 0.25)]),
        "momentum" or "nesterov" => new([new("learning_rate", 0.5), new("one_minus_beta1", 0.1), new("weight_decay", 1e-3), new("warmup_factor", 0.25), new("decay_steps_factor", 0.9), new("end_factor", 0.01), new("beta2", 0.999)]),
        "adafactor" => new([new("learning_rate", 0.05), new("one_minus_beta1", 0.1), new("weight_decay", 0.1), new("warmup_factor", 0.25)]),
        "shampoo" => new([new("learning_rate", 0.05), new("one_minus_beta1", 0.1), new("one_minus_beta2", 0.01), new("weight_decay", 0.1), new("warmup_factor", 0.25), new("max_preconditioner_dim", 2), new("precondition_frequency", 1), new("start_preconditioning_step", 2)]),
        "schedule_free_adamw" => null,
        _ => throw new ArgumentException($"no test hyperparameters for {name}", nameof(name)),
    };

    private static DirectOracle Oracle(string name, Hyperparameters? hp, TinyModel model)
    {
        var ps = model.parameters().Select(p => p).ToList();
        double H(string key) => hp!.Get(key);
        const int Hint = 8;
        double Cosine(long t) => LearningRateSchedules.WarmupCosine(H("learning_rate"), Hint, (int)(H("warmup_factor") * Hint), t);
        double Linear(long t) => LearningRateSchedules.WarmupLinearDecay(H("learning_rate"), Hint, H("warmup_factor"), H("decay_steps_factor"), H("end_factor"), t);
        return name switch
        {
            "nadamw" => new(new AdamW(ps, 0.9, 0.99, 0.1, nesterov: true), Cosine, 0.5),
            "adamw" => new(new AdamW(ps, 0.9, 0.99, 0.1), Cosine),
            "momentum" => new(new Sgd(ps, 0.9, 1e-3, nesterov: false), Linear),
            "nesterov" => new(new Sgd(ps, 0.9, 1e-3, nesterov: true), Linear),
            "lamb" => new(new Lamb(ps, 0.9, 0.99, 0.1), Cosine),
            "adafactor" => new(new Adafactor(ps, 0.9, 0.1), Cosine),
            "shampoo" => new(new BlockedShampoo(ps, 0.9, 0.99, 0.1, 2, 1, 2, ShampooGrafting.Adam, 1e-8, 1e-8), Cosine),
            "schedule_free_adamw" => new(new ScheduleFreeAdamW(ps, 0.9, 0.9955159689799007, 0.08121616522670176, 0, 2, 0.75), _ => 0.0025, null, 0.1),
            _ => throw new ArgumentException($"no oracle for {name}", nameof(name)),
        };
    }

    private static void OracleScheduleFreeStep(TinyWorkload workload, TinyModel model, ScheduleFreeAdamW optimizer, double lr, ulong rng)
    {
        optimizer.ZeroGrad();
        optimizer.MoveToGradientPoint();
        ForwardBackward(workload, model, 0.1, rng);
        optimizer.Step(lr);
    }

    private static void ForwardBackward(TinyWorkload workload, TinyModel model, double dropout, ulong rng)
    {
        using var scope = torch.NewDisposeScope();
        using var batch = workload.FullBatch();
        using var generator = dropout > 0 ? new Generator(rng) : null;
        var output = workload.ModelFn(model, batch, ModelMode.Train, dropoutRate: dropout, rng: generator);
        workload.LossFn(batch.Targets, output).Mean().backward();
    }

    private sealed class DirectOracle(Optimizer optimizer, Func<long, double> lr, double? clip = null, double dropout = 0) : IDisposable
    {
        public void Step(TinyWorkload workload, TinyModel model, long t, ulong rng)
        {
            optimizer.ZeroGrad();
            if (optimizer is ScheduleFreeAdamW sf)
            {
                sf.MoveToGradientPoint();
            }

            ForwardBackward(workload, model, dropout, rng);
            if (clip is { } c)
            {
                GradientClipping.ClipGradNorm(optimizer.Parameters, c);
            }

            optimizer.Step(lr(t));
        }

        public void Dispose() => optimizer.Dispose();
    }
}
