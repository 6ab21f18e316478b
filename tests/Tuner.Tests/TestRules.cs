using AlgoPerf.Contracts.Ids;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Tuner.Plans;
using AlgoPerf.Tuner.SearchSpaces;

namespace AlgoPerf.Tuner.Tests;

/// <summary>A small custom rules version and search space shared by the plan and study tests.</summary>
internal static class TestRules
{
    public static RulesVersion Dev { get; } = new CustomRulesSpec(
        "dev",
        "v0.6",
        StudiesExternal: 3,
        StudiesSelfTuning: 2,
        TrialsPerStudy: 5,
        SelfTuningBudgetFactor: 1.5,
        [new WorkloadSpec("mnist", null, "loss", MetricDirection.Minimize, 0.5, 0.5, 100, 1000, 10)]).Build();

    public static SearchSpace Space { get; } = SearchSpaceReader.ReadFile(TestData.Path("nadamw_tuning_search_space.json"));

    public static StudyId Study(int k = 0) => new("nadamw", "mnist", k);

    public static StudyPlanRequest Request(int study = 0, ulong runSeed = 42, StudyPointPolicy policy = StudyPointPolicy.Reference, bool earlyStopping = false) =>
        new(Study(study), Dev, Ruleset.ExternalTuning, Space, runSeed, policy, EarlyStopping: earlyStopping);
}
