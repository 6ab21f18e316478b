using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Contracts.Scoring;
using AlgoPerf.Scorer.Input;
using AlgoPerf.Scorer.Live;
using AlgoPerf.Scorer.Model;

namespace AlgoPerf.Seed.Tests.Monitoring;

/// <summary>Run views for the tests of what renders them: fmnist_mlp (accuracy, target 0.9), one study of one trial per submission.</summary>
internal static class RunViews
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    public static RunProjection Projection(params string[] submissions)
    {
        var targets = new WorkloadTargets([new WorkloadTarget("fmnist_mlp", "validation/accuracy", MetricDirection.Maximize, 0.9)], ["fmnist_mlp"], []);
        return new RunProjection(new LiveScoringSetup("external_tuning", targets, new ScoringOptions(["fmnist_mlp"], [], StudySelectionRule.Reference), 1, 1, submissions));
    }

    /// <summary>Submission <c>a</c>'s trial (budget 20 s) started at 1 s with the given evals (step, time, accuracy); the others planned nothing yet.</summary>
    public static RunProjection OneRunningTrial(string[] submissions, params (long Step, double Time, double Accuracy)[] evals)
    {
        var p = Projection(submissions);
        var trial = new TrialId("a", "fmnist_mlp", 0, 1);
        p.Apply(new RunSessionStarted("qs", 1, 2, 1, "cpu"), T0);
        p.Apply(new TrialPlanned(trial, [], 1, 20), T0);
        p.Apply(new TrialStarted(trial, 0, 0), T0.AddSeconds(1));
        for (var i = 0; i < evals.Length; i++)
        {
            p.Apply(new EvalRecorded(trial, i, evals[i].Step, evals[i].Time, 0, new Dictionary<string, double> { ["validation/accuracy"] = evals[i].Accuracy }), T0.AddSeconds(2 + (6 * i)));
        }

        return p;
    }
}
