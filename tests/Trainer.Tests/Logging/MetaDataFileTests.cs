using AlgoPerf.Trainer.Logging;

namespace AlgoPerf.Trainer.Tests.Logging;

public sealed class MetaDataFileTests
{
    private static readonly SystemInfo s_system = new(
        [new("mem.total", 1024L), new("mem.percent_used", 12.5)],
        "Linux-6.1.0-x86_64",
        "10.0.0",
        GitBranch: null,
        GitCommitHash: "abc123",
        CpuModelName: "Test CPU",
        CpuCount: 2);

    [Fact]
    public void Build_WorkloadPropertiesSortedThenSystemThenSeed()
    {
        var items = MetaDataFile.Build([new("step_hint", 100), new("eval_batch_size", 256), new("target_metric_name", "accuracy")], s_system, rngSeed: 42);

        Assert.Equal(
            "{\n  \"workload.eval_batch_size\": 256,\n  \"workload.step_hint\": 100,\n  \"workload.target_metric_name\": \"accuracy\",\n"
            + "  \"mem.total\": 1024,\n  \"mem.percent_used\": 12.5,\n  \"os_platform\": \"Linux-6.1.0-x86_64\",\n  \"dotnet_version\": \"10.0.0\",\n"
            + "  \"git_commit_hash\": \"abc123\",\n  \"cpu_model_name\": \"Test CPU\",\n  \"cpu_count\": 2,\n  \"rng_seed\": 42\n}",
            PythonJson.Serialize(items));
    }

    [Fact]
    public void Write_PreemptionCount_NamesFileAfterIt()
    {
        var dir = Directory.CreateTempSubdirectory("meta-").FullName;
        try
        {
            var path = MetaDataFile.Write(dir, preemptionCount: 1, [], s_system, rngSeed: null);
            Assert.Equal(Path.Combine(dir, "meta_data_1.json"), path);
            Assert.DoesNotContain("rng_seed", File.ReadAllText(path), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Probe_ThisMachine_CpuCountAndLinuxPlatform()
    {
        var info = SystemInfo.Probe();
        Assert.Equal(Environment.ProcessorCount, info.CpuCount);
        Assert.StartsWith("Linux-", info.OsPlatform, StringComparison.Ordinal);
        Assert.Contains(info.Utilization, u => u.Key == "mem.total" && u.Value.Integer > 0);
    }
}
