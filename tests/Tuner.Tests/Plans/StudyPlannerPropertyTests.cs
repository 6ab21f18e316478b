using AlgoPerf.Contracts.Events;
using AlgoPerf.Tuner.Halton;
using AlgoPerf.Tuner.Plans;
using AlgoPerf.Tuner.SearchSpaces;
using AlgoPerf.Tuner.Studies;
using FsCheck.Xunit;

namespace AlgoPerf.Tuner.Tests.Plans;

/// <summary>Properties over random search spaces and seeds (FsCheck supplies the seeds; spaces are built from them).</summary>
public sealed class StudyPlannerPropertyTests
{
    [Property(MaxTest = 200)]
    public void Generate_RandomSpace_EveryValueIsInItsDimension(int spaceSeed, uint shuffleSeed, byte trials)
    {
        var space = RandomSpace(new Random(spaceSeed));
        var n = 1 + (trials % 40);

        var points = HaltonSearch.Generate(space, n, shuffleSeed);

        Assert.Equal(n, points.Count);
        foreach (var point in points)
        {
            Assert.Equal(space.Names, point.Values.Select(v => v.Key));
            for (var d = 0; d < space.Parameters.Count; d++)
            {
                var spec = space.Parameters[d];
                Assert.True(spec.Contains(point.Values[d].Value), $"{spec} does not contain {point.Values[d].Value:R}");
            }
        }
    }

    [Property(MaxTest = 100)]
    public void Generate_RandomSpaceSameShuffleSeed_BitIdenticalPoints(int spaceSeed, uint shuffleSeed, byte trials)
    {
        var n = 1 + (trials % 40);

        var first = HaltonSearch.Generate(RandomSpace(new Random(spaceSeed)), n, shuffleSeed);
        var second = HaltonSearch.Generate(RandomSpace(new Random(spaceSeed)), n, shuffleSeed);

        Assert.Equal(Bits(first), Bits(second));
    }

    [Property(MaxTest = 100)]
    public void Generate_UnitPoints_AreInTheUnitInterval(byte count, byte dims)
    {
        var points = HaltonSequence.Generate(count % 60, 1 + (dims % 12));

        Assert.All(points.SelectMany(p => p), u => Assert.InRange(u, 0.0, Math.BitDecrement(1.0)));
    }

    [Property(MaxTest = 100)]
    public void Plan_SameRequest_SamePlan(ulong runSeed, byte study, bool disjoint)
    {
        var request = TestRules.Request(study % 3, runSeed, disjoint ? StudyPointPolicy.Disjoint : StudyPointPolicy.Reference);

        Assert.True(StudyPlanner.Plan(request).SameAs(StudyPlanner.Plan(request)));
    }

    [Property(MaxTest = 100)]
    public void Replay_PlanEvents_RebuildsTheSamePlanAndRequestsEveryTrial(ulong runSeed, byte study, bool disjoint)
    {
        var plan = StudyPlanner.Plan(TestRules.Request(study % 3, runSeed, disjoint ? StudyPointPolicy.Disjoint : StudyPointPolicy.Reference));

        var state = StudyState.Replay(plan.ToEvents());

        Assert.True(state.IsPlanned);
        Assert.True(new StudyPlan(state.Header!, state.Trials.Select(t => t.Plan).ToList()).SameAs(plan));
        Assert.Equal(plan.Trials, state.TrialsToRun());
        Assert.Empty(state.DecidePlan(plan));
    }

    [Property(MaxTest = 50)]
    public void Plan_DifferentRunSeeds_DifferentTrialSeeds(ulong a, ulong b)
    {
        var pa = StudyPlanner.Plan(TestRules.Request(0, a));
        var pb = StudyPlanner.Plan(TestRules.Request(0, b));

        Assert.Equal(a == b, pa.Trials.Select(t => t.Seed).SequenceEqual(pb.Trials.Select(t => t.Seed)));
    }

    private static List<string> Bits(IReadOnlyList<HyperparameterPoint> points) =>
        points.Select(p => string.Join(",", p.Values.Select(v => $"{v.Key}={BitConverter.DoubleToInt64Bits(v.Value):x16}"))).ToList();

    private static SearchSpace RandomSpace(Random rng)
    {
        var dims = rng.Next(1, 9);
        var specs = new List<HyperparameterSpec>();
        for (var d = 0; d < dims; d++)
        {
            var name = $"h{d}";
            switch (rng.Next(3))
            {
                case 0:
                    var lo = Math.Exp((rng.NextDouble() * 20) - 15);
                    specs.Add(HyperparameterSpec.Range(name, lo, lo * (1 + (rng.NextDouble() * 1000)), HyperparameterScaling.Log));
                    break;
                case 1:
                    var a = (rng.NextDouble() - 0.5) * 100;
                    specs.Add(HyperparameterSpec.Range(name, a, a + (rng.NextDouble() * 10), HyperparameterScaling.Linear));
                    break;
                default:
                    specs.Add(HyperparameterSpec.Discrete(name, Enumerable.Range(0, rng.Next(1, 6)).Select(_ => rng.NextDouble()).ToList()));
                    break;
            }
        }

        return SearchSpace.Quasirandom(specs);
    }
}
