using System.Globalization;
using System.Text.Json;
using AlgoPerf.Tests.Shared;
using AlgoPerf.Trainer.Workloads;

namespace AlgoPerf.Trainer.Tests.Workloads;

/// <summary>
/// <c>DevSuiteSpecs</c>' measured numbers against the derivations recorded with them
/// (<c>benchmarks/results/&lt;date&gt;/targets_&lt;workload&gt;.json</c>, written by <c>./algoperf targets run --format json</c>):
/// the table is typed in by hand from the derivation, so a slip in copying it shows here.
/// </summary>
public sealed class DevSuiteSpecsTests
{
    public static TheoryData<string> MeasuredNames() => new(DevSuiteSpecs.Measured.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(MeasuredNames))]
    public void Measured_RecordedDerivation_TargetsAndBaseRulesEqualTheSpec(string name)
    {
        var recorded = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "benchmarks", "results"), $"targets_{name}.json", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.NotEmpty(recorded); // a measured workload's derivation is recorded (docs/targets.md "Record")
        using var json = JsonDocument.Parse(File.ReadAllText(recorded[^1])); // the latest measuring day's
        var d = json.RootElement;
        var spec = DevSuiteSpecs.Get(name);

        Assert.Equal(name, d.GetProperty("workload").GetString());
        Assert.Equal(spec.ValidationMetricKey, d.GetProperty("metric").GetString());
        // The spec holds the derivation's targets to 6 significant digits (TargetsCommand.SpecLine).
        Assert.Equal(SixDigits(d.GetProperty("validation_target").GetDouble()), spec.ValidationTarget);
        Assert.Equal(SixDigits(d.GetProperty("test_target").GetDouble()), spec.TestTarget);
        if (!spec.IsVariant)
        {
            // A variant inherits its base's budget, step hint and eval period; a base's are the derivation's.
            Assert.Equal(d.GetProperty("max_runtime_sec").GetDouble(), spec.MaxRuntimeSec);
            Assert.Equal(d.GetProperty("step_hint").GetInt32(), spec.StepHint);
            Assert.Equal(d.GetProperty("eval_period_sec").GetDouble(), spec.EvalPeriodSec);
        }
    }

    private static double SixDigits(double value) =>
        double.Parse(value.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
