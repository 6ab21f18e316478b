using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Contracts.Scoring;
using AlgoPerf.Tuner.Halton;
using AlgoPerf.Tuner.Plans;
using AlgoPerf.Tuner.SearchSpaces;

namespace AlgoPerf.Tuner.Tests.Plans;

public sealed class StudyPlannerTests
{
    [Fact]
    public void Plan_ReferencePolicy_EveryStudyGetsTheSamePointsInItsOwnShuffledOrder()
    {
        var plans = Enumerable.Range(0, 3).Select(k => StudyPlanner.Plan(TestRules.Request(k))).ToList();

        foreach (var plan in plans)
        {
            var seed = TrialSeeds.StudyShuffle(42, plan.Header.Study);
            Assert.Equal(seed, plan.Header.ShuffleSeed);
            Assert.Equal(HaltonSearch.Generate(TestRules.Space, 5, seed), plan.Trials.Select(t => t.Hyperparameters));
        }

        var sets = plans.Select(p => p.Trials.Select(t => t.Hyperparameters.ToString()).Order().ToList()).ToList();
        Assert.Equal(sets[0], sets[1]);
        Assert.Equal(sets[0], sets[2]);
        Assert.Equal(5, sets[0].Distinct().Count());
    }

    [Fact]
    public void Plan_DisjointPolicy_StudiesSplitOneSequenceOfNTimesStudiesPoints()
    {
        var plans = Enumerable.Range(0, 3).Select(k => StudyPlanner.Plan(TestRules.Request(k, policy: StudyPointPolicy.Disjoint))).ToList();

        var seed = TrialSeeds.WorkloadShuffle(42, "nadamw", "mnist");
        var all = HaltonSearch.Generate(TestRules.Space, 15, seed);
        Assert.Equal(all, plans.SelectMany(p => p.Trials.Select(t => t.Hyperparameters)));
        Assert.All(plans, p => Assert.Equal((seed, "disjoint", 5), (p.Header.ShuffleSeed, p.Header.Policy, p.Trials.Count)));
        Assert.Equal(15, all.Distinct().Count());
    }

    [Theory]
    [InlineData(StudyPointPolicy.Reference)]
    [InlineData(StudyPointPolicy.Disjoint)]
    public void Plan_FixedPointSpace_FirstPointsInFileOrderForEveryStudy(StudyPointPolicy policy)
    {
        var space = SearchSpaceReader.ReadFile(TestData.Path("fixed_points_space.json"));

        var plans = Enumerable.Range(0, 3).Select(k => StudyPlanner.Plan(TestRules.Request(k, policy: policy) with { Space = space })).ToList();

        Assert.All(plans, p => Assert.Equal(space.FixedPoints, p.Trials.Select(t => t.Hyperparameters)));
        Assert.All(plans, p => Assert.Equal(3, p.Header.TrialCount));
    }

    [Fact]
    public void Plan_ExternalTuning_HeaderRecordsEveryDecidingChoice()
    {
        var plan = StudyPlanner.Plan(TestRules.Request(1, earlyStopping: true) with { Selection = StudySelectionRule.Fastest });

        Assert.Equal(
            new StudyPlanned(TestRules.Study(1), "external_tuning", "dev", "reference", TrialSeeds.StudyShuffle(42, TestRules.Study(1)), 5, "validation/loss", MetricDirection.Minimize, 0.5, "fastest", true),
            plan.Header);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => TestRules.Study(1).Trial(i)), plan.Trials.Select(t => t.Trial));
        Assert.All(plan.Trials, t => Assert.Equal(TrialSeeds.Trial(42, t.Trial), t.Seed));
        Assert.All(plan.Trials, t => Assert.Equal(100.0, t.BudgetSec));
    }

    [Fact]
    public void Plan_SelfTuning_OneTrialNoHyperparametersBudgetTimesFactor()
    {
        var plan = StudyPlanner.Plan(TestRules.Request(1) with { Ruleset = Ruleset.SelfTuning, Space = null });

        var trial = Assert.Single(plan.Trials);
        Assert.Empty(trial.Hyperparameters.Values);
        Assert.Equal(150.0, trial.BudgetSec);
        Assert.Equal(("self_tuning", 1), (plan.Header.Ruleset, plan.Header.TrialCount));
    }

    [Fact]
    public void Plan_V06SelfTuning_UsesTheRulesFactor()
    {
        var request = new StudyPlanRequest(new("s", "wmt", 2), RulesVersions.V06, Ruleset.SelfTuning, null, 7);

        var plan = StudyPlanner.Plan(request);

        Assert.Equal(43_336 * 1.5, Assert.Single(plan.Trials).BudgetSec);
    }

    [Fact]
    public void Plan_SelfTuningWithSpace_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => StudyPlanner.Plan(TestRules.Request() with { Ruleset = Ruleset.SelfTuning }));

        Assert.StartsWith("self-tuning takes no search space", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ExternalWithoutSpace_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => StudyPlanner.Plan(TestRules.Request() with { Space = null }));

        Assert.StartsWith("external tuning needs a search space for nadamw/mnist/study_0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_StudyOutOfRange_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => StudyPlanner.Plan(TestRules.Request(3)));

        Assert.StartsWith("study 3 is out of range: rules dev have 3 studies per workload under external_tuning", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_UnknownWorkload_ThrowsKeyNotFound()
    {
        Assert.Throws<KeyNotFoundException>(() => StudyPlanner.Plan(TestRules.Request() with { Study = new("nadamw", "wmt", 0) }));
    }

    [Fact]
    public void ToEvents_Plan_HeaderThenTrialsInOrder()
    {
        var plan = StudyPlanner.Plan(TestRules.Request());

        var events = plan.ToEvents();

        Assert.Same(plan.Header, events[0]);
        Assert.Equal(plan.Trials.Select(t => t.Trial), events.Skip(1).Cast<TrialPlanned>().Select(e => e.Trial));
        Assert.Equal(plan.Trials.Select(t => t.Hyperparameters), events.Skip(1).Cast<TrialPlanned>().Select(e => new HyperparameterPoint(e.Hyperparameters)));
    }
}
