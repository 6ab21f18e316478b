using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Tuner.Plans;
using AlgoPerf.Tuner.Studies;

namespace AlgoPerf.Tuner.Tests.Studies;

/// <summary>The tuner's study logic, tested by persisting what it decides and replaying its own journal.</summary>
public sealed class StudyStateTests
{
    private static readonly StudyPlan s_plan = StudyPlanner.Plan(TestRules.Request());

    [Fact]
    public void DecidePlan_NewStudy_PersistsHeaderAndEveryTrial()
    {
        var state = new StudyState();

        var events = state.DecidePlan(s_plan);

        Assert.Equal(s_plan.ToEvents(), events);
    }

    [Fact]
    public void DecidePlan_AfterReplayWithChangedConfig_NeverReplans()
    {
        var state = StudyState.Replay(s_plan.ToEvents());
        var changed = StudyPlanner.Plan(TestRules.Request(runSeed: 99));

        Assert.Empty(state.DecidePlan(changed));
        Assert.Equal(s_plan.Trials, state.Trials.Select(t => t.Plan));
    }

    [Fact]
    public void DecidePlan_OtherStudy_Throws()
    {
        var state = StudyState.Replay(s_plan.ToEvents());

        Assert.Throws<ArgumentException>(() => state.DecidePlan(StudyPlanner.Plan(TestRules.Request(1))));
    }

    [Fact]
    public void Recovery_KilledMidStudy_ReplaysWithoutReplanningOrRerunningFinishedTrials()
    {
        // Run the study half-way, persisting everything the tuner decides into its journal.
        var journal = new List<IEvent>();
        var live = new StudyState();
        Persist(live, journal, live.DecidePlan(s_plan));
        Persist(live, journal, live.DecideOutcome(Eval(1, 0, 10, 0.9)));
        Persist(live, journal, live.DecideOutcome(Eval(1, 1, 20, 0.4)));
        Persist(live, journal, live.DecideOutcome(new TrialFinished(Id(1), TrialEndReason.TargetsReached, 200, 20)));
        Persist(live, journal, live.DecideOutcome(new TrialFailed(Id(2), "boom", null)));
        Persist(live, journal, live.DecideOutcome(Eval(3, 0, 12, 0.7)));

        // Kill: only the journal survives. Recover by replaying it.
        var recovered = StudyState.Replay(journal);

        Assert.Empty(recovered.DecidePlan(StudyPlanner.Plan(TestRules.Request())));
        Assert.Equal([Id(3), Id(4), Id(5)], recovered.TrialsToRun().Select(t => t.Trial));
        Assert.Empty(recovered.DecideOutcome(Eval(3, 0, 12, 0.7)));
        Assert.Empty(recovered.DecideOutcome(new TrialFinished(Id(1), TrialEndReason.TargetsReached, 200, 20)));
        Assert.Null(recovered.Decision);

        // The study then completes after the restart and is decided exactly once.
        Persist(recovered, journal, recovered.DecideOutcome(Eval(3, 1, 24, 0.45)));
        Persist(recovered, journal, recovered.DecideOutcome(new TrialFinished(Id(3), TrialEndReason.BudgetExhausted, 300, 30)));
        Persist(recovered, journal, recovered.DecideOutcome(new TrialFinished(Id(4), TrialEndReason.BudgetExhausted, 300, 30)));
        var last = recovered.DecideOutcome(new TrialFinished(Id(5), TrialEndReason.BudgetExhausted, 300, 30));
        Persist(recovered, journal, last);

        // Trials 1 and 3 both hit at eval index 1; the reference rule ties to the faster one (trial 1, 20 s).
        Assert.Equal(new StudyDecided(TestRules.Study(), "reference", 1, 1, 20), last[^1]);
        Assert.Equal(recovered.Decision, StudyState.Replay(journal).Decision);
        Assert.Empty(StudyState.Replay(journal).TrialsToRun());
        Assert.Single(journal.OfType<StudyDecided>());
    }

    [Fact]
    public void DecideOutcome_NoTrialHits_DecidesInfinity()
    {
        var state = StudyState.Replay(s_plan.ToEvents());
        var all = new List<IEvent>();
        for (var t = 1; t <= 5; t++)
        {
            all.AddRange(state.DecideOutcome(Eval(t, 0, 5, 0.9)));
            Apply(state, all[^1]);
            var end = state.DecideOutcome(new TrialFinished(Id(t), TrialEndReason.BudgetExhausted, 10, 5));
            Apply(state, end);
            all.AddRange(end);
        }

        Assert.Equal(new StudyDecided(TestRules.Study(), "reference", null, null, double.PositiveInfinity), state.Decision);
    }

    [Fact]
    public void DecideOutcome_EvalWithoutTheMetric_CountsAsNaN()
    {
        var state = StudyState.Replay(s_plan.ToEvents());
        Apply(state, state.DecideOutcome(new EvalRecorded(Id(1), 0, 1, 5, 0, new Dictionary<string, double> { ["train/loss"] = 0.1 })));

        Assert.False(state.Outcomes()[0].Reached);
    }

    [Fact]
    public void DecideOutcome_ReRecordedIndexWithNewValues_IsPersistedAndReplaces()
    {
        var state = StudyState.Replay(s_plan.ToEvents());
        Apply(state, state.DecideOutcome(Eval(1, 0, 5, 0.9)));

        var events = state.DecideOutcome(Eval(1, 0, 6, 0.3));
        Apply(state, events);

        Assert.Single(events);
        Assert.Equal(new AlgoPerf.Contracts.Scoring.TrialOutcome(1, 0, 6), state.Outcomes()[0]);
    }

    [Fact]
    public void Admit_ResultsOfAttempts_SupersededOnceALaterAttemptStartedAndDuplicateByEvalIndexWithinItsAttempt()
    {
        var state = StudyState.Replay(s_plan.ToEvents());
        Apply(state, state.DecideOutcome(new TrialStarted(Id(1), 0, 0, Attempt: 1)));
        Apply(state, state.DecideOutcome(Eval(1, 0, 5, 0.2)));

        // Attempt 1 re-sends its start and eval 0: duplicates; its eval 1 is new.
        Assert.Equal(AttemptVerdict.Duplicate, state.Admit(new TrialStarted(Id(1), 0, 0, Attempt: 1), 1));
        Assert.Equal(AttemptVerdict.Duplicate, state.Admit(Eval(1, 0, 5, 0.2), 1));
        Assert.Equal(AttemptVerdict.Admitted, state.Admit(Eval(1, 1, 9, 0.3), 1));

        // Attempt 2 starts (the trial moved): attempt 1's results are refused; attempt 2 re-records eval 0 from its checkpoint.
        Assert.Equal(AttemptVerdict.Admitted, state.Admit(new TrialStarted(Id(1), 1, 5, Attempt: 2), 2));
        Apply(state, state.DecideOutcome(new TrialStarted(Id(1), 1, 5, Attempt: 2)));
        Assert.Equal(AttemptVerdict.Superseded, state.Admit(Eval(1, 1, 9, 0.3), 1));
        Assert.Equal(AttemptVerdict.Superseded, state.Admit(new TrialFinished(Id(1), TrialEndReason.BudgetExhausted, 9, 9), 1));
        Assert.Equal(AttemptVerdict.Admitted, state.Admit(Eval(1, 0, 5, 0.25), 2));

        // The same after a recovery: the journal holds the attempts.
        var replayed = StudyState.Replay([.. s_plan.ToEvents(), new TrialStarted(Id(1), 0, 0, Attempt: 1), Eval(1, 0, 5, 0.2), new TrialStarted(Id(1), 1, 5, Attempt: 2)]);
        Assert.Equal(2, replayed.Trial(Id(1))!.CurrentAttempt);
        Assert.Equal(AttemptVerdict.Superseded, replayed.Admit(Eval(1, 0, 5, 0.2), 1));
        Assert.Equal(AttemptVerdict.Admitted, replayed.Admit(Eval(1, 0, 5, 0.2), 2));
    }

    [Fact]
    public void DecideOutcome_ForeignTrial_Throws()
    {
        var state = StudyState.Replay(s_plan.ToEvents());

        Assert.Throws<ArgumentException>(() => state.DecideOutcome(new TrialFailed(new TrialId("x", "mnist", 0, 1), "e", null)));
        Assert.Throws<ArgumentException>(() => state.DecideOutcome(s_plan.Header));
    }

    [Fact]
    public void Apply_SecondDifferentHeader_ThrowsInvalidData()
    {
        var state = StudyState.Replay(s_plan.ToEvents());

        Assert.Throws<InvalidDataException>(() => state.Apply(s_plan.Header with { RulesVersion = "v0.6" }));
    }

    [Fact]
    public void Apply_TrialOutOfOrder_ThrowsInvalidData()
    {
        var state = new StudyState();
        state.Apply(s_plan.Header);

        var e = Assert.Throws<InvalidDataException>(() => state.Apply(s_plan.Trials[1].ToEvent()));
        Assert.Equal("study nadamw/mnist/study_0: unexpected nadamw/mnist/study_0/trial_2 in the plan (expected nadamw/mnist/study_0/trial_1)", e.Message);
    }

    [Fact]
    public void DecidePlan_HeaderPersistedWithoutTrials_CompletesThePlan()
    {
        var state = new StudyState();
        state.Apply(s_plan.Header);
        state.Apply(s_plan.Trials[0].ToEvent());

        Assert.Equal(s_plan.ToEvents().Skip(2), state.DecidePlan(s_plan));
    }

    internal static TrialId Id(int trial) => TestRules.Study().Trial(trial);

    internal static EvalRecorded Eval(int trial, int index, double time, double loss) =>
        new(Id(trial), index, index * 100, time, 0, new Dictionary<string, double> { ["validation/loss"] = loss });

    private static void Persist(StudyState state, List<IEvent> journal, IReadOnlyList<IEvent> events)
    {
        journal.AddRange(events);
        Apply(state, events);
    }

    private static void Apply(StudyState state, IEnumerable<IEvent> events)
    {
        foreach (var e in events)
        {
            state.Apply(e);
        }
    }

    private static void Apply(StudyState state, IEvent e) => state.Apply(e);
}
