using System.Globalization;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Tuner.Plans;
using AlgoPerf.Tuner.SearchSpaces;

namespace AlgoPerf.Seed.Commands.Bench;

/// <content>The benchmark's plan (every v0.6 external-tuning trial) and its ideal makespan.</content>
internal sealed partial class ClusterBenchmark
{
    /// <summary>Every external-tuning trial of the v0.6 base workloads for <paramref name="submissions"/> submissions, in plan order.</summary>
    internal static IReadOnlyList<PlannedTrial> Plan(int submissions)
    {
        var rules = RulesVersions.V06;
        var plan = new List<PlannedTrial>();
        for (var s = 0; s < submissions; s++)
        {
            foreach (var workload in rules.BaseWorkloads)
            {
                for (var study = 0; study < rules.Studies(Ruleset.ExternalTuning); study++)
                {
                    for (var trial = 1; trial <= rules.Trials(Ruleset.ExternalTuning); trial++)
                    {
                        var id = new AlgoPerf.Contracts.Ids.TrialId(string.Create(CultureInfo.InvariantCulture, $"submission{s:00}"), workload.Name, study, trial);
                        var point = new HyperparameterPoint([new KeyValuePair<string, double>("learning_rate", 1e-3 * trial)]);
                        plan.Add(new PlannedTrial(id, point, (ulong)plan.Count + 1, rules.Budget(workload, Ruleset.ExternalTuning)));
                    }
                }
            }
        }

        return plan;
    }

    /// <summary>The makespan of the scheduler's policy without overhead: longest budget first, each on the device free first.</summary>
    internal static double ListSchedule(IEnumerable<double> budgets, int devices)
    {
        var free = new PriorityQueue<int, double>();
        for (var d = 0; d < devices; d++)
        {
            free.Enqueue(d, 0);
        }

        var makespan = 0.0;
        foreach (var budget in budgets.OrderByDescending(b => b))
        {
            free.TryDequeue(out var device, out var at);
            makespan = Math.Max(makespan, at + budget);
            free.Enqueue(device, at + budget);
        }

        return makespan;
    }
}
