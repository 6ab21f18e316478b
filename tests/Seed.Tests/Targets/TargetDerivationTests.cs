using AlgoPerf.Contracts.Rules;
using AlgoPerf.Seed.Targets;
using AlgoPerf.Trainer.Workloads;

namespace AlgoPerf.Seed.Tests.Targets;

public sealed class TargetDerivationTests
{
    private static readonly WorkloadSpec Accuracy = DevSuiteSpecs.Get("fmnist_mlp");
    private static readonly WorkloadSpec Loss = DevSuiteSpecs.Get("dlrm_synth");

    [Fact]
    public void SelectBest_Accuracy_TakesHighestBestValidationFirstOfEquals()
    {
        var tuning = new[]
        {
            Curve("adamw", 0, 1, (10, 1.0, 0.70, 0.69), (20, 2.0, 0.85, 0.84)),
            Curve("adamw", 0, 2, (10, 1.0, 0.90, 0.88), (20, 2.0, 0.89, 0.88)),
            Curve("nadamw", 0, 1, (10, 1.0, 0.90, 0.89)),
            Curve("nesterov", 0, 1, (10, 1.0, double.NaN, double.NaN)),
        };

        var best = TargetDerivation.SelectBest(tuning, Accuracy);

        Assert.Same(tuning[1], best);
    }

    [Fact]
    public void SelectBest_Loss_TakesLowest()
    {
        var tuning = new[] { Curve("adamw", 0, 1, (10, 1.0, 0.52, 0.53)), Curve("momentum", 0, 3, (10, 1.0, 0.60, 0.6), (20, 2.0, 0.49, 0.5)) };

        Assert.Same(tuning[1], TargetDerivation.SelectBest(tuning, Loss));
    }

    [Fact]
    public void SelectBest_NoFiniteValidation_ThrowsNamingWorkloadAndMetric()
    {
        var tuning = new[] { Curve("adamw", 0, 1, (10, 1.0, double.NaN, double.NaN)), Curve("adamw", 0, 2) };

        var e = Assert.Throws<InvalidOperationException>(() => TargetDerivation.SelectBest(tuning, Accuracy));

        Assert.Equal("fmnist_mlp: none of the 2 tuning trials has a finite validation/accuracy (all diverged, failed or never evaluated)", e.Message);
    }

    [Fact]
    public void Derive_FiveReruns_MedianTargetWorstReachedTestAndFourThirdsBudget()
    {
        var selected = Curve("nadamw", 0, 7, (100, 1.0, 0.905, 0.89));
        var reruns = new[]
        {
            Curve("nadamw", 1, 7, (100, 2.0, 0.880, 0.870), (2250, 7.1, 0.901, 0.889)), // best 0.901: below the median
            Curve("nadamw", 2, 7, (100, 2.0, 0.904, 0.880), (2250, 7.5, 0.903, 0.891)), // best 0.904, best test 0.891
            Curve("nadamw", 3, 7, (100, 2.0, 0.890, 0.880), (2250, 6.9, 0.902, 0.886)), // best 0.902: the median
            Curve("nadamw", 4, 7, (100, 2.0, 0.890, 0.884), (2250, 7.0, 0.906, 0.887)), // best 0.906, best test 0.887
            Curve("nadamw", 5, 7, (100, 2.0, 0.890, 0.880), (2250, 7.3, 0.899, 0.895)), // best 0.899: below
        };

        var tuning = new[] { Curve("adamw", 0, 1, (100, 1.0, 0.88, 0.87)), Curve("adamw", 0, 2, (1, 0.1, double.NaN, double.NaN)), Curve("adamw", 0, 3, (100, 1.0, 0.90, 0.87)), Curve("nadamw", 0, 7, (100, 1.0, 0.905, 0.89)) };

        var d = TargetDerivation.Derive(Accuracy, tuning, selected, reruns);

        Assert.Equal(0.902, d.ValidationTarget);
        Assert.Equal([false, true, true, true, false], d.Reruns.Select(r => r.ReachedTarget));
        Assert.Equal(0.886, d.TestTarget); // worst of 0.891, 0.886, 0.887
        Assert.Equal(7.1, d.MedianRuntime);
        Assert.Equal((10.0, Accuracy.StepHint, 1.0), (d.MaxRuntimeSec, d.StepHint, d.EvalPeriodSec)); // 4/3 x 7.1 = 9.47 -> 10 s
        Assert.Equal((4, 0.905), (d.TuningTrials, d.SelectedBestValidation));
        Assert.Equal([new AlgorithmSummary("adamw", 3, 1, 0.90, 0.89), new AlgorithmSummary("nadamw", 1, 0, 0.905, 0.905)], d.Algorithms);
    }

    [Fact]
    public void Derive_LossWithDivergedRerun_CountsItAsWorstAndTakesHighestReachedTest()
    {
        var selected = Curve("adamw", 0, 2, (100, 1.0, 0.45, 0.46));
        var reruns = new[]
        {
            Curve("adamw", 1, 2, (100, 10.0, 0.47, 0.480), (1500, 31.0, 0.46, 0.470)),
            Curve("adamw", 2, 2, (1, 0.1, double.NaN, double.NaN)), // diverged at once: the worst result
            Curve("adamw", 3, 2, (100, 10.0, 0.44, 0.450), (1500, 29.0, 0.45, 0.455)),
        };

        var d = TargetDerivation.Derive(Loss, [selected], selected, reruns);

        Assert.Equal(0.46, d.ValidationTarget); // median of 0.46, +inf, 0.44
        Assert.Equal([true, false, true], d.Reruns.Select(r => r.ReachedTarget));
        Assert.Equal(0.47, d.TestTarget); // worst (highest) best-test of the reruns that reached it: 0.470 and 0.450
        Assert.Equal(29.0, d.MedianRuntime); // median of 31.0, 0.1, 29.0
        Assert.Equal((40.0, 2.0), (d.MaxRuntimeSec, d.EvalPeriodSec)); // 4/3 x 29 = 38.7 -> 40 s; 40 / 20 = 2 s
    }

    [Fact]
    public void Derive_NoFiniteRerun_ThrowsNamingTheConfiguration()
    {
        var e = Assert.Throws<InvalidOperationException>(() => TargetDerivation.Derive(Accuracy, [Curve("adamw", 0, 4)], Curve("adamw", 0, 4), [Curve("adamw", 1, 4, (1, 0.1, double.NaN, double.NaN))]));

        Assert.Equal("fmnist_mlp: no rerun of adamw trial 4 has a finite validation/accuracy", e.Message);
    }

    [Theory]
    [InlineData(10.0, 1.0)]
    [InlineData(30.0, 2.0)]
    [InlineData(190.0, 10.0)]
    [InlineData(1200.0, 60.0)]
    [InlineData(1900.0, 100.0)]
    public void EvalPeriod_Budget_IsATwentiethRounded(double budget, double expected) =>
        Assert.Equal(expected, TargetDerivation.EvalPeriod(budget));

    internal static TrialCurve Curve(string submission, int study, int trial, params (long Step, double Time, double Validation, double Test)[] evals) =>
        new(submission, study, trial, $"/runs/{submission}/study_{study}/trial_{trial}", [.. evals.Select(e => new EvalPoint(e.Step, e.Time, e.Validation, e.Test))]);
}
