using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Serialization;
using AlgoPerf.Tuner.Plans;
using AlgoPerf.Tuner.Studies;
using FsCheck.Xunit;
using static AlgoPerf.Tuner.Tests.Studies.StudyStateTests;

namespace AlgoPerf.Tuner.Tests.Studies;

/// <summary>
/// Identical after replay: a study fed random outcomes and "killed" at a random point recovers, through the stored
/// JSON of its events (the codec of the journal's <see cref="EventSerializer"/>), exactly the state the live tuner
/// had, and finishes with the decision of an uninterrupted run.
/// </summary>
public sealed class StudyReplayPropertyTests
{
    private static readonly JsonEventSerializer s_codec = new(EventTypeRegistry.ForContracts().Register<StudyPlanned>());

    [Property(MaxTest = 150)]
    public void Replay_RandomHistoryKilledAtRandomPoint_SameStateAndSameFinalDecision(int seed, byte cut, bool disjoint, bool earlyStopping)
    {
        var rng = new Random(seed);
        var plan = StudyPlanner.Plan(TestRules.Request(0, (ulong)seed, disjoint ? StudyPointPolicy.Disjoint : StudyPointPolicy.Reference, earlyStopping));
        var outcomes = Outcomes(rng, plan.Trials.Count);
        var uninterrupted = StudyState.Replay(plan.ToEvents());
        long uninterruptedEvents = plan.ToEvents().Count;
        foreach (var o in outcomes)
        {
            var events = uninterrupted.DecideOutcome(o);
            uninterruptedEvents += events.Count;
            Apply(uninterrupted, events);
        }

        var stored = new List<SerializedPayload>();
        var live = new StudyState();
        Persist(live, live.DecidePlan(plan), stored);
        var kill = cut % (outcomes.Count + 1);
        foreach (var o in outcomes.Take(kill))
        {
            Persist(live, live.DecideOutcome(o), stored);
        }

        var recovered = StudyState.Replay(stored.Select(p => (IEvent)s_codec.Deserialize(p.TypeTag, p.TypeVersion, p.Utf8Json)));

        Assert.Equal(Describe(live), Describe(recovered));
        Assert.Empty(recovered.DecidePlan(StudyPlanner.Plan(TestRules.Request(0, (ulong)seed + 1))));

        // The runner redelivers up to three outcomes it sent before the kill, then the rest.
        foreach (var o in outcomes.Skip(Math.Max(0, kill - 3)))
        {
            Persist(recovered, recovered.DecideOutcome(o), stored);
        }

        Assert.NotNull(uninterrupted.Decision);
        Assert.Equal(uninterrupted.Decision, recovered.Decision);
        Assert.Equal(Describe(uninterrupted), Describe(recovered));
        Assert.Equal(uninterruptedEvents, stored.Count);
    }

    /// <summary>A random study's outcomes in a random interleaving: each trial's evals in order, then its end.</summary>
    private static List<IEvent> Outcomes(Random rng, int trials)
    {
        var history = StudySimulator.RandomStudy(rng, trials);
        var perTrial = history.Select((t, i) =>
        {
            var events = t.ValidationMetric.Select((m, k) => (IEvent)new EvalRecorded(Id(i + 1), k, k * 100, t.SubmissionTimes[k], 0, new Dictionary<string, double> { [StudySimulator.Metric] = m })).ToList();
            events.Add(t.Fails ? new TrialFailed(Id(i + 1), "simulated failure", null) : new TrialFinished(Id(i + 1), TrialEndReason.BudgetExhausted, t.ValidationMetric.Count * 100, t.FullTimeSec));
            return new Queue<IEvent>(events);
        }).ToList();
        var list = new List<IEvent>();
        foreach (var i in StudySimulator.RandomSchedule(rng, history))
        {
            list.Add(perTrial[i].Dequeue());
        }

        return list;
    }

    /// <summary>Stores the events' JSON, then applies them: what the tuner does once the journal acknowledged them.</summary>
    private static void Persist(StudyState state, IReadOnlyList<IEvent> events, List<SerializedPayload> stored)
    {
        stored.AddRange(events.Select(s_codec.Serialize));
        Apply(state, events);
    }

    private static void Apply(StudyState state, IReadOnlyList<IEvent> events)
    {
        foreach (var e in events)
        {
            state.Apply(e);
        }
    }

    /// <summary>Everything the tuner acts on: per trial its evals and end, what to run, what to stop, the decision.</summary>
    private static string Describe(StudyState s) => string.Join(
        "\n",
        s.Trials.Select(t => $"{t.Number}: evals [{string.Join(", ", t.Evals.Select(e => $"{e.EvalIndex}@{e.SubmissionTimeSec:R}={e.Metrics[StudySimulator.Metric]:R}"))}] end {t.EndReason} failure {t.Failure}")
            .Append($"run [{string.Join(", ", s.TrialsToRun().Select(t => t.Trial.Trial))}]")
            .Append($"stop [{string.Join(", ", s.TrialsToStop().Select(t => t.Trial))}]")
            .Append($"decision {s.Decision}"));
}
