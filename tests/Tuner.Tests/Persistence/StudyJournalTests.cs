using AlgoPerf.Actors.Persistence.Journal;
using AlgoPerf.Contracts.Serialization;
using AlgoPerf.Actors.Persistence.Journal.Testing;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Tuner.Persistence;
using AlgoPerf.Tuner.Plans;
using AlgoPerf.Tuner.Studies;
using static AlgoPerf.Tuner.Tests.Studies.StudyStateTests;

namespace AlgoPerf.Tuner.Tests.Persistence;

public sealed class StudyJournalTests
{
    private static readonly StudyPlan s_plan = StudyPlanner.Plan(TestRules.Request(earlyStopping: true));

    [Fact]
    public async Task RecoverAsync_KilledMidStudy_SamePlanThroughJsonAndOnlyUnfinishedTrialsRequested()
    {
        var journal = NewJournal();
        var first = new StudyJournal(journal, TestRules.Study());
        await first.RecoverAsync();
        await first.PersistAsync(first.State.DecidePlan(s_plan));
        await first.PersistAsync(first.State.DecideOutcome(Eval(2, 0, 10, 0.9)));
        await first.PersistAsync(first.State.DecideOutcome(new TrialFinished(Id(2), TrialEndReason.BudgetExhausted, 10, 10)));
        await first.PersistAsync(first.State.DecideOutcome(Eval(4, 0, 7, 0.8)));

        // "Kill": the instance is gone; a new one recovers from the journal alone.
        var second = new StudyJournal(journal, TestRules.Study());
        var state = await second.RecoverAsync();

        Assert.True(new StudyPlan(state.Header!, state.Trials.Select(t => t.Plan).ToList()).SameAs(s_plan));
        Assert.Equal(9L, second.SequenceNr);
        Assert.Empty(state.DecidePlan(StudyPlanner.Plan(TestRules.Request(runSeed: 1, earlyStopping: true))));
        Assert.Equal([Id(1), Id(3), Id(4), Id(5)], state.TrialsToRun().Select(t => t.Trial));
        Assert.Equal(7, state.Trials[3].LastEvalTimeSec);
    }

    [Fact]
    public async Task PersistAsync_DecisionWithInfiniteTime_RoundTrips()
    {
        var journal = NewJournal();
        var writer = new StudyJournal(journal, TestRules.Study());
        await writer.RecoverAsync();
        await writer.PersistAsync(writer.State.DecidePlan(s_plan));
        for (var t = 1; t <= 5; t++)
        {
            await writer.PersistAsync(writer.State.DecideOutcome(new TrialFailed(Id(t), "oom", "at x")));
        }

        var recovered = await new StudyJournal(journal, TestRules.Study()).RecoverAsync();

        Assert.Equal(new StudyDecided(TestRules.Study(), "reference", null, null, double.PositiveInfinity), recovered.Decision);
        Assert.Equal(writer.State.Decision, recovered.Decision);
        Assert.Empty(recovered.TrialsToRun());
    }

    [Fact]
    public async Task PersistAsync_WriteFailsAfterStoring_RecoveryShowsItLandedAndNothingIsRepeated()
    {
        var journal = new TestJournal(NewJournal());
        var writer = new StudyJournal(journal, TestRules.Study());
        await writer.RecoverAsync();
        await writer.PersistAsync(writer.State.DecidePlan(s_plan));
        journal.Writes.FailAfterStoring(times: 1);

        await Assert.ThrowsAnyAsync<JournalWriteFailedException>(() => writer.PersistAsync(writer.State.DecideOutcome(Eval(1, 0, 3, 0.7))));
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.PersistAsync(writer.State.DecideOutcome(Eval(1, 1, 6, 0.6))));

        var state = await writer.RecoverAsync();
        Assert.Equal(1, state.Trials[0].EvalCount);
        Assert.Empty(state.DecideOutcome(Eval(1, 0, 3, 0.7)));
        await writer.PersistAsync(state.DecideOutcome(Eval(1, 1, 6, 0.6)));
        Assert.Equal(2, (await new StudyJournal(journal, TestRules.Study()).RecoverAsync()).Trials[0].EvalCount);
    }

    [Fact]
    public async Task PersistAsync_Rejected_StateUnchangedAndWriterUsable()
    {
        var journal = new TestJournal(NewJournal());
        var writer = new StudyJournal(journal, TestRules.Study());
        await writer.RecoverAsync();
        await writer.PersistAsync(writer.State.DecidePlan(s_plan));
        journal.Writes.Reject(times: 1);

        await Assert.ThrowsAnyAsync<JournalRejectedException>(() => writer.PersistAsync(writer.State.DecideOutcome(Eval(1, 0, 3, 0.7))));

        Assert.Equal(0, writer.State.Trials[0].EvalCount);
        await writer.PersistAsync(writer.State.DecideOutcome(Eval(1, 0, 3, 0.7)));
        Assert.Equal(1, writer.State.Trials[0].EvalCount);
    }

    [Fact]
    public async Task RecoverAsync_StreamOfAnotherStudy_ThrowsInvalidData()
    {
        var journal = NewJournal();
        var other = StudyPlanner.Plan(TestRules.Request(1));
        var events = other.ToEvents().Select((e, i) => new PendingEvent(i + 1, e)).ToList();
        await journal.WriteAsync(new AtomicWrite(StudyJournal.PersistenceIdOf(TestRules.Study()), 0, events));

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => new StudyJournal(journal, TestRules.Study()).RecoverAsync());

        Assert.Equal("tuner/nadamw/mnist/study_0 holds the plan of nadamw/mnist/study_1", e.Message);
    }

    internal static MemoryJournal NewJournal() =>
        new(new JsonEventSerializer(StudyJournal.RegisterEvents(EventTypeRegistry.ForContracts())));
}
