using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Scoring;
using AlgoPerf.Tuner.Plans;
using AlgoPerf.Tuner.Studies;
using static AlgoPerf.Tuner.Tests.Studies.StudyStateTests;

namespace AlgoPerf.Tuner.Tests.Studies;

public sealed class EarlyStoppingTests
{
    [Theory]
    [InlineData(2, 100.0, false)] // could still hit at index 2 and tie; then it might be faster
    [InlineData(3, 5.0, true)] // any hit comes at index >= 3 > 2
    [InlineData(0, 0.0, false)] // no evals yet: never stopped
    public void IsDominated_ReferenceRule_AfterPassingTheBestFirstHitIndex(int evals, double lastTime, bool expected)
    {
        var best = new TrialOutcome(1, 2, 50);

        Assert.Equal(expected, EarlyStopping.IsDominated(evals, lastTime, best, StudySelectionRule.Reference));
    }

    [Theory]
    [InlineData(10, 50.0, false)] // an equal time may still win on eval index or trial order
    [InlineData(1, 50.5, true)]
    [InlineData(1, double.NaN, false)]
    public void IsDominated_FastestRule_AfterPassingTheBestTime(int evals, double lastTime, bool expected)
    {
        var best = new TrialOutcome(1, 2, 50);

        Assert.Equal(expected, EarlyStopping.IsDominated(evals, lastTime, best, StudySelectionRule.Fastest));
    }

    [Fact]
    public void IsDominated_NoBestYet_False()
    {
        Assert.False(EarlyStopping.IsDominated(100, 1e9, null, StudySelectionRule.Reference));
        Assert.False(EarlyStopping.IsDominated(100, 1e9, new TrialOutcome(1, null, double.PositiveInfinity), StudySelectionRule.Fastest));
    }

    [Fact]
    public void TrialsToStop_Off_StopsNothing()
    {
        var state = StudyState.Replay(StudyPlanner.Plan(TestRules.Request()).ToEvents());
        state.Apply(Eval(1, 0, 10, 0.1));

        Assert.Empty(state.TrialsToStop());
        Assert.Equal(5, state.TrialsToRun().Count);
    }

    [Fact]
    public void TrialsToStop_On_StopsSettledAndDominatedTrialsOnly()
    {
        var state = StudyState.Replay(StudyPlanner.Plan(TestRules.Request(earlyStopping: true)).ToEvents());
        state.Apply(Eval(1, 0, 10, 0.9));
        state.Apply(Eval(1, 1, 20, 0.4)); // trial 1 hits at index 1: settled, and the best so far
        state.Apply(Eval(2, 0, 5, 0.9));
        state.Apply(Eval(2, 1, 9, 0.8)); // trial 2: two misses; could still hit at index 1? no, index 1 missed: next is 2 > 1
        state.Apply(Eval(3, 0, 4, 0.9)); // trial 3: one miss; could still hit at index 1 and tie
        state.Apply(new TrialFinished(Id(4), TrialEndReason.BudgetExhausted, 0, 0));

        Assert.Equal([Id(1), Id(2)], state.TrialsToStop());
        Assert.Equal([Id(3), Id(5)], state.TrialsToRun().Select(t => t.Trial));
    }
}
