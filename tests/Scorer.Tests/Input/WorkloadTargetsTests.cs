using AlgoPerf.Contracts.Rules;
using AlgoPerf.Scorer.Input;

namespace AlgoPerf.Scorer.Tests.Input;

public sealed class WorkloadTargetsTests
{
    private const string Json = """
        {
          "_comment": "reference format",
          "benchmark_version": "0.5",
          "base_workloads": ["wmt", "ogbg"],
          "held_out_workloads": ["wmt_glu_tanh"],
          "workloads": {
            "wmt": {"target_metric_name": "bleu", "target_metric_goal": "maximize", "validation_target_value": 30.8491, "step_hint": 120000},
            "wmt_glu_tanh": {"target_metric_name": "bleu", "target_metric_goal": "maximize", "validation_target_value": 29.5779},
            "ogbg": {"target_metric_name": "mean_average_precision", "target_metric_goal": "maximize", "validation_target_value": 0.28098},
            "criteo1tb": {"target_metric_name": "loss", "target_metric_goal": "minimize", "validation_target_value": 0.123735}
          }
        }
        """;

    [Fact]
    public void Parse_ReferenceFormat_TargetsAndWorkloadSets()
    {
        var t = WorkloadTargets.Parse("t.json", Json);

        Assert.Equal(["wmt", "ogbg"], t.BaseWorkloads);
        Assert.Equal(["wmt_glu_tanh"], t.HeldOutWorkloads);
        Assert.Equal(new WorkloadTarget("criteo1tb", "validation/loss", MetricDirection.Minimize, 0.123735), t.Find("criteo1tb"));
        Assert.Equal(new WorkloadTarget("wmt_glu_tanh", "validation/bleu", MetricDirection.Maximize, 29.5779), t.Find("wmt_glu_tanh"));
        Assert.Null(t.Find("mnist"));
    }

    [Theory]
    [InlineData("""{"base_workloads": []}""", "t.json: $.workloads: missing")]
    [InlineData("""{"base_workloads": ["a"], "workloads": {}}""", "t.json: $.workloads: no entry for scored workload 'a'")]
    [InlineData("""{"base_workloads": [], "workloads": {"a": {"target_metric_name": "x", "target_metric_goal": "up", "validation_target_value": 1}}}""", "t.json: $.workloads.a.target_metric_goal: 'up' is neither minimize nor maximize")]
    [InlineData("""{"base_workloads": [], "workloads": {"a": {"target_metric_name": "x", "target_metric_goal": "minimize", "validation_target_value": "1"}}}""", "t.json: $.workloads.a.validation_target_value: expected a number, got string")]
    [InlineData("""{"base_workloads": [1], "workloads": {}}""", "t.json: $.base_workloads[0]: expected a string")]
    public void Parse_Malformed_ErrorNamesFileAndField(string json, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => WorkloadTargets.Parse("t.json", json));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Load_InvalidJson_ErrorNamesFileLineAndColumn()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "{\n  \"workloads\": {,\n}");

            var e = Assert.Throws<InvalidDataException>(() => WorkloadTargets.Load(path));

            Assert.StartsWith(path + ":2:", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void FromRules_V05_HeldOutListAndVariantTargets()
    {
        var t = WorkloadTargets.FromRules(RulesVersions.V05);

        Assert.Equal(8, t.BaseWorkloads.Count);
        Assert.Equal(RulesVersions.V05.HeldOutWorkloads, t.HeldOutWorkloads);
        Assert.Equal(29.5779, t.Find("wmt_glu_tanh")!.Target);
        Assert.Equal("validation/accuracy", t.Find("imagenet_resnet")!.MetricKey);
    }

    [Fact]
    public void FromRules_V06_NoHeldOut()
    {
        Assert.Empty(WorkloadTargets.FromRules(RulesVersions.V06).HeldOutWorkloads);
    }
}
