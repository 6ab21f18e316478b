using AlgoPerf.Trainer.Optimizers;

using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Tests.Optimizers;

[Collection("Torch")]
public sealed class OptimizerTrajectoryTests
{
    private static readonly ReferenceTrajectories s_ref = ReferenceTrajectories.Instance;

    public static TheoryData<string> StandardRuns => ["adamw", "nadamw", "nadamw_clip", "momentum", "nesterov", "lamb", "adafactor", "shampoo_adam", "shampoo_sgd"];

    [Theory]
    [MemberData(nameof(StandardRuns))]
    public void Step_ReferenceProblem_MatchesPyTorchTrajectory(string run)
    {
        var r = s_ref.Runs[run];
        using var problem = new TorchProblem(s_ref);
        using var optimizer = Create(run, r, problem.Parameters);
        for (var t = 0; t < s_ref.Steps; t++)
        {
            optimizer.ZeroGrad();
            var loss = problem.LossAndBackward();
            Assert.True(Math.Abs(loss - r.Loss[t]) <= 1e-6 * r.Loss[t], $"{run} step {t}: loss {loss:R}, reference {r.Loss[t]:R}");
            TorchProblem.AssertClose(r.Grads[t], problem.Grads(), $"{run} step {t} gradient");
            if (r.Hyperparameters.TryGetValue("grad_clip", out var clip))
            {
                GradientClipping.ClipGradNorm(problem.Parameters, clip.GetDouble());
            }

            optimizer.Step(r.Lr[t]);
            TorchProblem.AssertClose(r.Params[t], problem.Values(), $"{run} step {t} parameters");
        }
    }

    public static TheoryData<string> ScheduleFreeRuns => ["schedule_free_adamw", "schedule_free_adamw_reset"];

    [Theory]
    [MemberData(nameof(ScheduleFreeRuns))]
    public void ScheduleFreeStep_ReferenceProblem_MatchesPyTorchTrajectory(string run)
    {
        var r = s_ref.Runs[run];
        var resetBefore = r.Hyperparameters.TryGetValue("reset_before_step", out var reset) ? reset.GetInt32() : -1;
        using var problem = new TorchProblem(s_ref);
        using var optimizer = new ScheduleFreeAdamW(
            problem.Parameters,
            1 - r.Hp("one_minus_beta1"),
            r.Hp("beta2"),
            r.Hp("weight_decay"),
            (int)(r.Hp("warmup_factor") * s_ref.StepHint * 0.75),
            r.Hp("weight_lr_power"),
            r.Hp("r"));
        var lr = r.Hp("learning_rate");
        for (var t = 0; t < s_ref.Steps; t++)
        {
            if (t == resetBefore)
            {
                optimizer.Reset();
                lr /= 2;
            }

            optimizer.MoveToGradientPoint();
            optimizer.ZeroGrad();
            var loss = problem.LossAndBackward();
            Assert.True(Math.Abs(loss - r.Loss[t]) <= 1e-6 * r.Loss[t], $"{run} step {t}: loss {loss:R}, reference {r.Loss[t]:R}");
            TorchProblem.AssertClose(r.Grads[t], problem.Grads(), $"{run} step {t} gradient");
            optimizer.Step(lr);
            Assert.True(Math.Abs(optimizer.LastLr - r.Lr[t]) <= 1e-12 * r.Lr[t], $"{run} step {t}: lr {optimizer.LastLr:R}, reference {r.Lr[t]:R}");
            TorchProblem.AssertClose(r.Params[t], problem.Values(), $"{run} step {t} parameters");
        }
    }

    [Theory]
    [MemberData(nameof(StandardRuns))]
    public void LoadState_SavedMidway_ContinuesOnTheReferenceTrajectory(string run)
    {
        // Steps 0..9 with one optimizer; its state and the parameters go into a fresh problem and optimizer, which
        // must then follow the reference for steps 10..19 (a restored optimizer continues exactly).
        var r = s_ref.Runs[run];
        const int Split = 10;
        using var first = new TorchProblem(s_ref);
        using var second = new TorchProblem(s_ref);
        using (var optimizer = Create(run, r, first.Parameters))
        {
            for (var t = 0; t < Split; t++)
            {
                StandardStep(r, first, optimizer, t);
            }

            using (torch.no_grad())
            {
                for (var i = 0; i < first.Parameters.Length; i++)
                {
                    second.Parameters[i].copy_(first.Parameters[i]);
                }
            }

            using var restored = Create(run, r, second.Parameters);
            restored.LoadState(optimizer.SaveState());
            optimizer.Dispose();
            Assert.Equal(Split, restored.StepCount);
            for (var t = Split; t < s_ref.Steps; t++)
            {
                StandardStep(r, second, restored, t);
                TorchProblem.AssertClose(r.Params[t], second.Values(), $"{run} restored step {t} parameters");
            }
        }
    }

    private static void StandardStep(ReferenceTrajectories.Run r, TorchProblem problem, Optimizer optimizer, int t)
    {
        optimizer.ZeroGrad();
        problem.LossAndBackward();
        if (r.Hyperparameters.TryGetValue("grad_clip", out var clip))
        {
            GradientClipping.ClipGradNorm(problem.Parameters, clip.GetDouble());
        }

        optimizer.Step(r.Lr[t]);
    }

    private static Optimizer Create(string run, ReferenceTrajectories.Run r, Tensor[] parameters) => run switch
    {
        "adamw" => new AdamW(parameters, 1 - r.Hp("one_minus_beta1"), r.Hp("beta2"), r.Hp("weight_decay")),
        "nadamw" or "nadamw_clip" => new AdamW(parameters, 1 - r.Hp("one_minus_beta1"), r.Hp("beta2"), r.Hp("weight_decay"), nesterov: true),
        "momentum" => new Sgd(parameters, 1 - r.Hp("one_minus_beta1"), r.Hp("weight_decay"), nesterov: false),
        "nesterov" => new Sgd(parameters, 1 - r.Hp("one_minus_beta1"), r.Hp("weight_decay"), nesterov: true),
        "lamb" => new Lamb(parameters, r.Hp("beta1"), r.Hp("beta2"), r.Hp("weight_decay")),
        "adafactor" => new Adafactor(parameters, 1 - r.Hp("one_minus_beta1"), r.Hp("weight_decay")),
        "shampoo_adam" or "shampoo_sgd" => new BlockedShampoo(
            parameters,
            1 - r.Hp("one_minus_beta1"),
            r.Hp("beta2"),
            r.Hp("weight_decay"),
            (int)r.Hp("max_preconditioner_dim"),
            (int)r.Hp("precondition_frequency"),
            (int)r.Hp("start_preconditioning_step"),
            r.Hyperparameters["grafting"].GetString() == "adam" ? ShampooGrafting.Adam : ShampooGrafting.Sgd,
            r.Hp("matrix_eps"),
            r.Hp("graft_eps")),
        _ => throw new ArgumentException($"no optimizer for run {run}", nameof(run)),
    };
}
