using AlgoPerf.Contracts.Scoring;
using AlgoPerf.Tuner.Studies;
using FsCheck.Xunit;

namespace AlgoPerf.Tuner.Tests.Studies;

/// <summary>
/// The proof that early stopping preserves scores: over many random studies and delivery orders, the study decision
/// (chosen trial, first-hit index, time to target) is identical with and without it.
/// </summary>
public sealed class StudySimulatorTests
{
    [Property(MaxTest = 300)]
    public void Run_RandomStudy_EarlyStoppingNeverChangesTheDecision(int seed, bool fastest, byte lag, byte trials)
    {
        var rng = new Random(seed);
        var history = StudySimulator.RandomStudy(rng, 1 + (trials % 8));
        var schedule = StudySimulator.RandomSchedule(rng, history);
        var rule = fastest ? StudySelectionRule.Fastest : StudySelectionRule.Reference;

        var plain = StudySimulator.Run(history, schedule, rule, earlyStopping: false);
        var early = StudySimulator.Run(history, schedule, rule, earlyStopping: true, stopLag: lag % 3);

        Assert.Equal(plain.Decision, early.Decision);
        Assert.Equal(plain.TimeFullSec, plain.TimeUsedSec);
        Assert.True(early.TimeUsedSec <= plain.TimeUsedSec);
    }

    [Fact]
    public void Run_WithoutEarlyStopping_DecisionIsTheSharedSelectionOverFullHistories()
    {
        var rng = new Random(5);
        for (var i = 0; i < 200; i++)
        {
            var history = StudySimulator.RandomStudy(rng, 5);
            var outcomes = history.Select((t, k) => TrialOutcome.From(k + 1, TrialTime.FirstHit(t.ValidationMetric, t.SubmissionTimes, AlgoPerf.Contracts.Rules.MetricDirection.Minimize, StudySimulator.Target))).ToList();
            var expected = StudySelection.Select(outcomes, StudySelectionRule.Reference);

            var run = StudySimulator.Run(history, StudySimulator.RandomSchedule(rng, history), StudySelectionRule.Reference, earlyStopping: false);

            Assert.Equal((expected?.Trial, expected?.FirstHitEvalIndex, expected?.TimeToTargetSec ?? double.PositiveInfinity), (run.Decision.ChosenTrial, run.Decision.FirstHitEvalIndex, run.Decision.TimeToTargetSec));
        }
    }

    [Theory]
    [InlineData(StudySelectionRule.Reference)]
    [InlineData(StudySelectionRule.Fastest)]
    public void Run_FiveHundredStudies_SameDecisionsAndSavesTrialTime(StudySelectionRule rule)
    {
        var rng = new Random(2026);
        double used = 0, full = 0;
        var stopped = 0;
        for (var i = 0; i < 500; i++)
        {
            var history = StudySimulator.RandomStudy(rng, 5);
            var schedule = StudySimulator.RandomSchedule(rng, history);
            var plain = StudySimulator.Run(history, schedule, rule, earlyStopping: false);
            var early = StudySimulator.Run(history, schedule, rule, earlyStopping: true);
            Assert.Equal(plain.Decision, early.Decision);
            used += early.TimeUsedSec;
            full += plain.TimeUsedSec;
            stopped += early.TrialsStopped;
        }

        // ./algoperf tune simulate reports the figures; here it is enough that stopping happened and saved time.
        Assert.InRange(stopped, 1, 2500);
        Assert.True(used < full, $"{used} s used of {full} s");
    }
}
