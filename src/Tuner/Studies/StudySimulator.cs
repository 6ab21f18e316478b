using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Contracts.Scoring;
using AlgoPerf.Tuner.Plans;
using AlgoPerf.Tuner.SearchSpaces;

namespace AlgoPerf.Tuner.Studies;

/// <summary>
/// Replays simulated trial histories through the tuner's real <see cref="StudyState"/>, with and without early
/// stopping, to check that the study decision is the same and to measure the trial time early stopping saves.
/// Trials interleave by a schedule (any order the runner could deliver evals in); a stop takes effect after a
/// configurable lag of further evals of that trial, as a stop message racing with running training would.
/// </summary>
public static class StudySimulator
{
    /// <summary>The metric the simulated studies are decided on (minimised).</summary>
    public const string Metric = "validation/loss";

    /// <summary>The simulated target: a trial hits when its loss is at most this.</summary>
    public const double Target = 0.5;

    /// <summary>
    /// A random study: per trial a decaying, noisy loss curve (some never reach the target, some have NaN evals, some
    /// fail part-way) over a per-trial step speed, ending 1 to 3 evals after its first hit as the runner ends a trial
    /// once the validation and test targets are reached. Times are whole seconds so that ties in time and eval index
    /// happen.
    /// </summary>
    public static IReadOnlyList<SimulatedTrial> RandomStudy(Random rng, int trials, int maxEvals = 12)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var list = new List<SimulatedTrial>(trials);
        for (var t = 0; t < trials; t++)
        {
            var evals = rng.Next(0, maxEvals + 1);
            var start = 0.6 + (rng.NextDouble() * 0.8);
            var decay = 0.75 + (rng.NextDouble() * 0.25);
            var speed = rng.Next(1, 4);
            var metric = new double[evals];
            var times = new double[evals];
            var clock = 0.0;
            for (var k = 0; k < evals; k++)
            {
                clock += speed * rng.Next(1, 4);
                times[k] = clock;
                metric[k] = rng.Next(20) == 0 ? double.NaN : (start * Math.Pow(decay, k)) + ((rng.NextDouble() - 0.5) * 0.1);
            }

            // The runner ends a trial once both targets are reached (the test target a little after the validation one).
            var hit = Array.FindIndex(metric, m => m <= Target);
            var end = hit < 0 ? evals : Math.Min(evals, hit + 1 + rng.Next(0, 3));
            list.Add(new SimulatedTrial(metric[..end], times[..end], Fails: rng.Next(8) == 0));
        }

        return list;
    }

    /// <summary>A random interleaving: trial i appears once per eval plus once for its end, in a random order.</summary>
    public static IReadOnlyList<int> RandomSchedule(Random rng, IReadOnlyList<SimulatedTrial> trials)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(trials);
        var slots = trials.SelectMany((t, i) => Enumerable.Repeat(i, t.ValidationMetric.Count + 1)).ToArray();
        rng.Shuffle(slots);
        return slots;
    }

    /// <summary>Runs a simulated study through <see cref="StudyState"/> and returns its decision and trial time.</summary>
    /// <param name="trials">The trials' full histories.</param>
    /// <param name="schedule">Delivery order (see <see cref="RandomSchedule"/>); a trial's k-th slot delivers its k-th event.</param>
    /// <param name="selection">The study's selection rule.</param>
    /// <param name="earlyStopping">Whether the tuner stops trials that can no longer change the decision.</param>
    /// <param name="stopLag">Evals a trial still delivers after the tuner asked to stop it.</param>
    public static SimulationOutcome Run(IReadOnlyList<SimulatedTrial> trials, IReadOnlyList<int> schedule, StudySelectionRule selection, bool earlyStopping, int stopLag = 0)
    {
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(schedule);
        var study = new StudyId("sim", "sim", 0);
        var header = new StudyPlanned(study, Ruleset.ExternalTuning.ToWire(), "sim", StudyPointPolicy.Reference.ToWire(), 0, trials.Count, Metric, MetricDirection.Minimize, Target, selection.ToWire(), earlyStopping);
        var plan = new StudyPlan(header, trials.Select((_, i) => new PlannedTrial(study.Trial(i + 1), HyperparameterPoint.Empty, 0, double.PositiveInfinity)).ToList());
        var state = new StudyState();
        Persist(state, state.DecidePlan(plan));

        var delivered = new int[trials.Count];
        var stopAfter = new int?[trials.Count];
        var used = new double[trials.Count];
        var stopped = 0;
        foreach (var i in schedule)
        {
            var trial = trials[i];
            var id = study.Trial(i + 1);
            if (state.Trial(id)!.IsTerminal)
            {
                continue;
            }

            var k = delivered[i]++;
            if (stopAfter[i] is { } limit && k >= limit)
            {
                Persist(state, state.DecideOutcome(new TrialFinished(id, TrialEndReason.StoppedEarly, k, used[i])));
                stopped++;
            }
            else if (k < trial.ValidationMetric.Count)
            {
                used[i] = trial.SubmissionTimes[k];
                var metrics = new Dictionary<string, double> { [Metric] = trial.ValidationMetric[k] };
                Persist(state, state.DecideOutcome(new EvalRecorded(id, k, k, trial.SubmissionTimes[k], 0, metrics)));
            }
            else
            {
                IEvent end = trial.Fails ? new TrialFailed(id, "simulated failure", null) : new TrialFinished(id, TrialEndReason.BudgetExhausted, k, trial.FullTimeSec);
                Persist(state, state.DecideOutcome(end));
            }

            foreach (var s in state.TrialsToStop())
            {
                var j = s.Trial - 1;
                stopAfter[j] ??= delivered[j] + stopLag;
            }
        }

        var decision = state.Decision ?? throw new InvalidOperationException("the schedule ended before every trial did");
        return new SimulationOutcome(decision, used.Sum(), trials.Sum(t => t.FullTimeSec), stopped);
    }

    private static void Persist(StudyState state, IReadOnlyList<IEvent> events)
    {
        foreach (var e in events)
        {
            state.Apply(e);
        }
    }
}
